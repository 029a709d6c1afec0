// Ticket creation times: a recent instant inside the utility's working hours, in its own time
// zone. Real complaints logged by agents carry office-hours timestamps; one at 03:12 on a Friday
// in Riyadh would stand out.

export interface WorkingHours {
  timeZone: string;
  /** Days of the week (0 = Sunday) the call centre logs tickets. */
  days: readonly number[];
  openHour: number;
  closeHour: number;
}

export const WORKING_HOURS = {
  'ar-SA': { timeZone: 'Asia/Riyadh', days: [0, 1, 2, 3, 4], openHour: 8, closeHour: 17 },
  'en-US': { timeZone: 'America/New_York', days: [1, 2, 3, 4, 5], openHour: 8, closeHour: 18 },
} as const satisfies Record<string, WorkingHours>;

/** How many recent working days a new ticket may fall in. */
const RECENT_WORKING_DAYS = 3;
const DAY_MS = 86_400_000;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Building an Intl formatter costs far more than using one; keep one per zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function wallTime(instant: number, timeZone: string): WallTime {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Offset of the zone from UTC at an instant, in minutes (e.g. +180 for Riyadh). */
function offsetMinutes(instant: number, timeZone: string): number {
  const w = wallTime(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The instant at which the zone's clocks show the given wall time (DST-safe within working hours). */
export function instantOf(w: WallTime, timeZone: string): number {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const first = guess - offsetMinutes(guess, timeZone) * 60_000;
  return guess - offsetMinutes(first, timeZone) * 60_000;
}

/** ISO 8601 with the zone's own offset, as the utility's systems print local times. */
export function formatInZone(instant: number, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  const off = offsetMinutes(instant, timeZone);
  const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
  const sign = off >= 0 ? '+' : '-';
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

/** Working-hour intervals [start, end) of the last few working days, cut off at `now`. */
export function recentWorkingIntervals(now: number, hours: WorkingHours): Array<[number, number]> {
  const today = wallTime(now, hours.timeZone);
  const intervals: Array<[number, number]> = [];
  for (let back = 0; back < 14 && intervals.length < RECENT_WORKING_DAYS; back++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day) - back * DAY_MS);
    if (!hours.days.includes(date.getUTCDay())) continue;
    const day = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), minute: 0, second: 0 };
    const start = instantOf({ ...day, hour: hours.openHour }, hours.timeZone);
    const end = Math.min(instantOf({ ...day, hour: hours.closeHour }, hours.timeZone), now);
    if (end > start) intervals.push([start, end]);
  }
  return intervals;
}

/** Picks a second uniformly across the intervals; `pick` returns an integer in [0, total). */
export function pickInstant(intervals: Array<[number, number]>, pick: (total: number) => number): number {
  const total = intervals.reduce((sum, [s, e]) => sum + Math.floor((e - s) / 1000), 0);
  let offset = pick(total);
  for (const [s, e] of intervals) {
    const seconds = Math.floor((e - s) / 1000);
    if (offset < seconds) return s + offset * 1000;
    offset -= seconds;
  }
  return intervals[0]![0];
}
