import { formatDateTime, relativeTime } from '../../lib/format';

/** "12 Jun 2026, 14:00 (in 7 days)": a moment as a local date and time, and how far it is from now. */
export function Moment({ at, now }: { at: string; now: number }) {
  return (
    <time dateTime={at}>
      {formatDateTime(at)} ({relativeTime(at, now, 'long')})
    </time>
  );
}
