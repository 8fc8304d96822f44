import { Link } from 'react-router';
import { usePageTitle } from '../layout/use-page-title';
import { NotificationList } from './notification-list';

export default function NotificationsPage() {
  usePageTitle('Inbox');
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-3xl font-black uppercase">Notifications</h1>
        <Link to="/notifications/preferences" className="brutal-button">
          Preferences
        </Link>
      </div>
      <NotificationList />
    </div>
  );
}
