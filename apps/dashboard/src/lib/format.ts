/** "12 s ago", "4 min ago", "3 h ago", "2 d ago": short enough for an agent card. */
export function timeAgo(timestamp: string | null | undefined, now: number): string {
  if (!timestamp) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(timestamp)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

export function formatDateTime(timestamp: string | null | undefined): string {
  if (!timestamp) return '—';
  return new Date(timestamp).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(timestamp: string | null | undefined): string {
  if (!timestamp) return '—';
  return new Date(timestamp).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export const statusLabels: Record<string, string> = {
  inbox: 'Inbox',
  assigned: 'Assigned',
  in_progress: 'In progress',
  review: 'Review',
  done: 'Done',
  blocked: 'Blocked',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function classNames(...names: Array<string | false | null | undefined>): string {
  return names.filter(Boolean).join(' ');
}
