import * as Popover from '@radix-ui/react-popover';
import { Link } from 'react-router';
import { NotificationList } from './notification-list';
import { useNotifications } from './notifications-api';

export default function NotificationBell() {
  const notifications = useNotifications();
  const unread = notifications.data?.unreadCount ?? 0;
  return (
    <Popover.Root>
      <Popover.Trigger className="brutal-button relative" aria-label={`Notifications, ${unread} unread`} data-testid="notification-bell">
        <svg aria-hidden="true" viewBox="0 0 24 24" className="size-4" fill="currentColor">
          <path d="M12 2a6 6 0 0 0-6 6v5l-2 3v1h16v-1l-2-3V8a6 6 0 0 0-6-6Zm0 20a3 3 0 0 0 3-3H9a3 3 0 0 0 3 3Z" />
        </svg>
        <span data-testid="unread-count" className={unread > 0 ? 'bg-signal px-1 text-black' : ''}>
          {unread}
        </span>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={8}
          className="z-40 w-[min(24rem,calc(100vw-1rem))] border-[3px] border-ink bg-paper p-3 text-ink shadow-[6px_6px_0_0_var(--color-ink)]"
        >
          <NotificationList compact />
          <Link to="/notifications" className="mt-3 block text-right font-mono text-xs font-bold underline">
            All notifications →
          </Link>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
