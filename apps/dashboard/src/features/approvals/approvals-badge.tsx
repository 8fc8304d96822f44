import { Link } from 'react-router';
import { useApprovals, useLiveApprovals } from './approvals-api';

/** The header's count of approvals waiting for a person; nothing when there are none. Loaded after the first paint. */
export default function ApprovalsBadge() {
  const pending = useApprovals('pending');
  useLiveApprovals();
  const count = pending.data?.length ?? 0;
  if (count === 0) return null;
  return (
    <Link
      to="/approvals"
      className="brutal-button whitespace-nowrap"
      data-variant="primary"
      aria-label={`${count} ${count === 1 ? 'approval' : 'approvals'} waiting`}
      data-testid="approvals-badge"
    >
      ✓ {count}
    </Link>
  );
}
