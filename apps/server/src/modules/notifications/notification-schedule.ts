import type { DigestSettings, QuietHours } from '@mission-control/contracts';

// When a normal-priority notification may go out: after quiet hours, and with a digest at the
// batch's time. Times of day are read in the recipient's time zone.

const minutesPerDay = 24 * 60;

function parseClockTime(text: string): number {
  const [hours, minutes] = text.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** The minute of the day (0–1439) at an instant, in a time zone. */
export function minuteOfDay(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((part) => part.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

/** The first instant at or after `at` whose local time of day is `target` (to the minute). */
function nextTimeOfDay(at: Date, timeZone: string, target: number): Date {
  const wait = (target - minuteOfDay(at, timeZone) + minutesPerDay) % minutesPerDay;
  const startOfMinute = at.getTime() - (at.getTime() % 60_000);
  const candidate = new Date(startOfMinute + wait * 60_000);
  return candidate < at ? at : candidate;
}

/** Whether an instant falls in quiet hours (which may run past midnight). */
export function isInQuietHours(at: Date, timeZone: string, quietHours: QuietHours | null): boolean {
  if (!quietHours) return false;
  const now = minuteOfDay(at, timeZone);
  const start = parseClockTime(quietHours.start);
  const end = parseClockTime(quietHours.end);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** When quiet hours around `at` end; `at` itself when it is not in them. */
export function endOfQuietHours(at: Date, timeZone: string, quietHours: QuietHours | null): Date {
  if (!quietHours || !isInQuietHours(at, timeZone, quietHours)) return at;
  return nextTimeOfDay(at, timeZone, parseClockTime(quietHours.end));
}

/**
 * When a normal-priority notification created at `at` goes out. Null: at once, on its own.
 * `openBatch` is the send time of a batch the recipient already has waiting on the channel.
 */
export function scheduleNormalNotification(
  at: Date,
  settings: { timeZone: string; quietHours: QuietHours | null; digest: DigestSettings },
  openBatch: Date | undefined,
): Date | null {
  const { timeZone, quietHours, digest } = settings;
  let sendAfter: Date | null;
  if (digest.mode === 'interval') sendAfter = openBatch ?? new Date(at.getTime() + digest.everyMinutes * 60_000);
  else if (digest.mode === 'daily') sendAfter = openBatch ?? nextTimeOfDay(at, timeZone, parseClockTime(digest.at));
  else sendAfter = isInQuietHours(at, timeZone, quietHours) ? (openBatch ?? at) : null;
  if (sendAfter === null) return null;
  return endOfQuietHours(sendAfter, timeZone, quietHours);
}
