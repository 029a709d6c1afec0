// How a party gets a channel's tickets, read from the distribution of exposure → first contact over
// the channel's canaries. Thresholds (documented in README "Access patterns"):
//  - unknown:  fewer than MIN_CONTACTS first contacts — too few to say.
//  - live:     at least LIVE_SHARE of first contacts within LIVE_MINUTES of exposure (someone reads the
//              queue as tickets arrive, whatever the hour).
//  - batch:    at least BATCH_SHARE of first contacts fall in one BATCH_WINDOW_HOURS window of the day
//              while the exposures themselves were spread over at least SPREAD_HOURS of the day (an
//              export run at a fixed time), or on one weekday while exposures spanned 3+ weekdays.
//  - same-day: at least LIVE_SHARE within SAME_DAY_HOURS, neither live nor batch.
//  - unknown otherwise (contacts spread with no pattern), with the figures.
// Times of day are read in the time zone given (the channel's shift zone, else UTC).
export type AccessClass = 'live' | 'same-day' | 'batch' | 'unknown';

export const ACCESS_THRESHOLDS = {
  MIN_CONTACTS: 3, LIVE_MINUTES: 60, LIVE_SHARE: 0.7, SAME_DAY_HOURS: 24, BATCH_SHARE: 0.7, BATCH_WINDOW_HOURS: 2, SPREAD_HOURS: 6,
} as const;

export interface Contact {
  exposedAt: number;
  firstAt: number;
}

export interface AccessPattern {
  class: AccessClass;
  contacts: number;
  /** Minutes from exposure to first contact: min, median, max. */
  minutes: { min: number; median: number; max: number } | null;
  withinHour: number;
  withinDay: number;
  /** For batch: the hour of day (in `timeZone`) the contacts cluster after, or the weekday. */
  clusterHour: number | null;
  clusterWeekday: string | null;
  timeZone: string;
  words: string;
}

const T = ACCESS_THRESHOLDS;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function accessPattern(contacts: Contact[], timeZone = 'UTC'): AccessPattern {
  const n = contacts.length;
  const mins = contacts.map((c) => (c.firstAt - c.exposedAt) / 60_000).sort((a, b) => a - b);
  const base = {
    contacts: n, timeZone, clusterHour: null, clusterWeekday: null,
    minutes: n ? { min: round(mins[0]!), median: round(mins[Math.floor((n - 1) / 2)]!), max: round(mins[n - 1]!) } : null,
    withinHour: mins.filter((m) => m <= T.LIVE_MINUTES).length,
    withinDay: mins.filter((m) => m <= T.SAME_DAY_HOURS * 60).length,
  };
  if (n < T.MIN_CONTACTS) return { ...base, class: 'unknown', words: `${n} first contact${n === 1 ? '' : 's'}: too few to tell how the tickets are reached` };
  const hoursOf = (t: number) => localHour(t, timeZone);
  const exposedHours = contacts.map((c) => hoursOf(c.exposedAt));
  const spread = circularSpan(exposedHours);
  if (base.withinHour / n >= T.LIVE_SHARE) {
    const around = spread >= 12 ? 'day and night' : `exposures within ${Math.round(spread)} h of the day`;
    return { ...base, class: 'live', words: `first contacts ${range(mins[0]!, mins[n - 1]!)} after planting (${base.withinHour} of ${n} within an hour), ${around}: live access to the queue` };
  }
  const cluster = bestWindow(contacts.map((c) => hoursOf(c.firstAt)));
  if (cluster.count / n >= T.BATCH_SHARE && spread >= T.SPREAD_HOURS) {
    const h = Math.floor(cluster.start);
    return { ...base, class: 'batch', clusterHour: h, words: `${cluster.count} of ${n} first contacts between ${pad(h)}:00 and ${pad((h + T.BATCH_WINDOW_HOURS) % 24)}:00 ${timeZone}, whenever the ticket was planted (exposures spread over ${Math.round(spread)} h of the day): a batch export` };
  }
  const days = contacts.map((c) => localWeekday(c.firstAt, timeZone));
  const exposedDays = new Set(contacts.map((c) => localWeekday(c.exposedAt, timeZone)));
  const top = mode(days);
  if (top.count / n >= T.BATCH_SHARE && exposedDays.size >= 3) {
    return { ...base, class: 'batch', clusterWeekday: WEEKDAYS[top.value]!, words: `${top.count} of ${n} first contacts on a ${WEEKDAYS[top.value]}, though tickets were planted on ${exposedDays.size} different weekdays: a weekly export` };
  }
  if (base.withinDay / n >= T.LIVE_SHARE) {
    return { ...base, class: 'same-day', words: `first contacts ${range(mins[0]!, mins[n - 1]!)} after planting (${base.withinDay} of ${n} within a day, ${base.withinHour} within an hour): the tickets are reached the same day` };
  }
  return { ...base, class: 'unknown', words: `first contacts ${range(mins[0]!, mins[n - 1]!)} after planting with no pattern in time of day or weekday` };
}

const formats = new Map<string, Intl.DateTimeFormat>();
const formatter = (key: string, make: () => Intl.DateTimeFormat) => formats.get(key) ?? (formats.set(key, make()), formats.get(key)!);

function localHour(t: number, timeZone: string): number {
  if (timeZone === 'UTC') return new Date(t).getUTCHours() + new Date(t).getUTCMinutes() / 60;
  const parts = formatter(`h|${timeZone}`, () => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })).formatToParts(new Date(t));
  const get = (k: string) => Number(parts.find((p) => p.type === k)?.value ?? 0);
  return get('hour') + get('minute') / 60;
}

function localWeekday(t: number, timeZone: string): number {
  if (timeZone === 'UTC') return new Date(t).getUTCDay();
  const name = formatter(`d|${timeZone}`, () => new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long' })).format(new Date(t));
  return WEEKDAYS.indexOf(name);
}

/** The most contacts any BATCH_WINDOW_HOURS window of the day (wrapping midnight) holds, and where it starts. */
function bestWindow(hours: number[]): { start: number; count: number } {
  let best = { start: 0, count: 0 };
  for (const s of hours) {
    const count = hours.filter((h) => ((h - s + 24) % 24) <= T.BATCH_WINDOW_HOURS).length;
    if (count > best.count) best = { start: s, count };
  }
  return best;
}

/** Hours of the day the points cover: 24 minus the largest gap between neighbours on the clock. */
function circularSpan(hours: number[]): number {
  const h = [...hours].sort((a, b) => a - b);
  let gap = 24 - h[h.length - 1]! + h[0]!;
  for (let i = 1; i < h.length; i++) gap = Math.max(gap, h[i]! - h[i - 1]!);
  return 24 - gap;
}

function mode(values: number[]): { value: number; count: number } {
  const c = new Map<number, number>();
  for (const v of values) c.set(v, (c.get(v) ?? 0) + 1);
  let best = { value: 0, count: 0 };
  for (const [value, count] of c) if (count > best.count) best = { value, count };
  return best;
}

/** "9–14 min", "2.5–20 h", "9 min–3 h". */
function range(a: number, b: number): string {
  const [x, y] = [fmt(a), fmt(b)];
  const unit = (s: string) => s.replace(/^[\d.]+ /, '');
  return unit(x) === unit(y) ? (x === y ? x : `${x.replace(/ .*$/, '')}–${y}`) : `${x}–${y}`;
}

const round = (m: number) => Math.round(m * 10) / 10;
const pad = (h: number) => String(h).padStart(2, '0');
function fmt(m: number): string {
  if (m < 90) return `${Math.round(m)} min`;
  if (m < 48 * 60) return `${Math.round(m / 6) / 10} h`;
  return `${Math.round(m / 144) / 10} days`;
}
