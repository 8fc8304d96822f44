/** Calendar arithmetic in an IANA time zone with Intl only: local midnights, hours, Mondays, months. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localPartsOf(instant: Date, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const local = localPartsOf(instant, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a wall-clock time happens in the zone (the later one when a DST change repeats it). */
export function instantOfLocal(timeZone: string, year: number, month: number, day: number, hour = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  const guess = wall - offsetAt(new Date(wall), timeZone);
  return new Date(wall - offsetAt(new Date(guess), timeZone));
}

export type CalendarUnit = 'hour' | 'day' | 'week' | 'month';

/** The start of the local hour, day, week (Monday) or month an instant falls in. */
export function startOfLocal(instant: Date, timeZone: string, unit: CalendarUnit): Date {
  const local = localPartsOf(instant, timeZone);
  if (unit === 'hour') {
    const start = instantOfLocal(timeZone, local.year, local.month, local.day, local.hour);
    // A DST change that repeats an hour: the instant belongs to the hour that started before it.
    return start.getTime() > instant.getTime() ? new Date(start.getTime() - 60 * 60 * 1000) : start;
  }
  if (unit === 'month') return instantOfLocal(timeZone, local.year, local.month, 1);
  if (unit === 'day') return instantOfLocal(timeZone, local.year, local.month, local.day);
  const weekday = new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay();
  const back = (weekday + 6) % 7;
  const monday = new Date(Date.UTC(local.year, local.month - 1, local.day - back));
  return instantOfLocal(timeZone, monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate());
}

const hourMs = 60 * 60 * 1000;
// From a period's start, a point certainly inside the next period (local days last 23 to 25 hours).
const stepIntoNext: Record<Exclude<CalendarUnit, 'month'>, number> = { hour: 1.5 * hourMs, day: 36 * hourMs, week: 7.5 * 24 * hourMs };

/** The starts of every local hour, day or week that [from, to) touches, in order. */
export function listPeriodStarts(from: Date, to: Date, timeZone: string, unit: Exclude<CalendarUnit, 'month'>): number[] {
  const starts: number[] = [];
  let start = startOfLocal(from, timeZone, unit).getTime();
  while (start < to.getTime()) {
    starts.push(start);
    start = startOfLocal(new Date(start + stepIntoNext[unit]), timeZone, unit).getTime();
  }
  return starts;
}

/** The start of the period an instant falls in, from the sorted list of starts (binary search). */
export function findPeriodStart(starts: readonly number[], instant: number): number | undefined {
  let low = 0;
  let high = starts.length - 1;
  let found: number | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const start = starts[middle] as number;
    if (start <= instant) {
      found = start;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
