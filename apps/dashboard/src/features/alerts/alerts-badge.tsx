import { Link } from 'react-router';
import { useAlerts, useLiveAlerts } from './alerts-api';

/** The header's count of unresolved alerts; nothing when there are none. Loaded after the first paint. */
export default function AlertsBadge() {
  const open = useAlerts('open', 'all');
  useLiveAlerts();
  const count = open.data?.openCount ?? 0;
  if (count === 0) return null;
  return (
    <Link
      to="/alerts"
      className="brutal-button whitespace-nowrap"
      data-variant="danger"
      aria-label={`${count} ${count === 1 ? 'alert' : 'alerts'} not resolved`}
      data-testid="alerts-badge"
    >
      ! {count}
    </Link>
  );
}
