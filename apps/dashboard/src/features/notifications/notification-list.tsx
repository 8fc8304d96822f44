import type { Notification } from '@mission-control/contracts';
import { Link } from 'react-router';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { timeAgo } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useMarkAllNotificationsRead, useMarkNotificationRead, useNotifications } from './notifications-api';

/** The notification list, shared by the bell's popover and the notifications page. */
export function NotificationList({ compact = false }: { compact?: boolean }) {
  const notifications = useNotifications();
  const markRead = useMarkNotificationRead();
  const markAll = useMarkAllNotificationsRead();
  const now = useNow();
  if (notifications.isPending) return <SkeletonList rows={3} className="h-12" />;
  if (notifications.isError)
    return <ErrorState error={notifications.error} what="notifications" onRetry={() => void notifications.refetch()} />;
  const items = compact ? notifications.data.data.slice(0, 8) : notifications.data.data;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center justify-between gap-2">
        <span className="font-mono text-sm font-bold" data-testid="unread-count-text">
          {notifications.data.unreadCount} unread
        </span>
        <button
          type="button"
          className="brutal-button"
          disabled={notifications.data.unreadCount === 0 || markAll.isPending}
          onClick={() => markAll.mutate()}
        >
          Mark all read
        </button>
      </div>
      {items.length === 0 ? <EmptyState title="Nothing yet">Mentions, assignments and replies show up here.</EmptyState> : null}
      <ul className="flex flex-col gap-2" data-testid="notification-list">
        {items.map((notification: Notification) => (
          <li key={notification.id} className={`border-2 border-ink p-2 ${notification.readAt ? 'opacity-70' : 'bg-paper-alt'}`}>
            <div className="flex items-center justify-between gap-2 font-mono text-[0.7rem] uppercase">
              <span className="font-bold">{notification.reason}</span>
              <span>{timeAgo(notification.createdAt, now)}</span>
            </div>
            <p className="mt-1 text-sm">{notification.content}</p>
            <div className="mt-1 flex gap-3 font-mono text-xs">
              {notification.taskId ? (
                <Link className="font-bold underline" to={`?task=${notification.taskId}`}>
                  Open task
                </Link>
              ) : null}
              {notification.readAt ? null : (
                <button type="button" className="font-bold underline" onClick={() => markRead.mutate(notification.id)}>
                  Mark read
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
