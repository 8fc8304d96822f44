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

/** "1 task", "3 tasks", "1 assignee": plural forms in English, with the count. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * "in 5 min", "3 h ago", "just now": a relative time for a person, in both directions; the long
 * style ("in 5 minutes", "3 hours ago") reads better inside a sentence.
 */
export function relativeTime(timestamp: string | null | undefined, now: number, style: 'short' | 'long' = 'short'): string {
  if (!timestamp) return 'never';
  const seconds = Math.round((Date.parse(timestamp) - now) / 1000);
  const magnitude = Math.abs(seconds);
  if (magnitude < 10) return 'just now';
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style });
  if (magnitude < 60) return format.format(seconds, 'second');
  if (magnitude < 3_600) return format.format(Math.round(seconds / 60), 'minute');
  if (magnitude < 172_800) return format.format(Math.round(seconds / 3_600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

/** "Task status changed" for task-status-changed: an event type as a person reads it. */
export function eventLabel(type: string): string {
  const words = type.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}
