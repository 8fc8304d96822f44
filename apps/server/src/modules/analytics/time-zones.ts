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
