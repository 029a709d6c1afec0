// Time-windowed channels. A channel whose `dimensions.shift` is a schedule ({timeZone, shifts: [{name,
// days, start, end}]}) is a live queue worked in shifts: a ticket planted at t is exposed to the shift
// on duty at t (or, planted between shifts, to the next shift to come on, when it comes on). Each
// shift is a channel of its own for the decoder: id `<channelId>~<shift name>`. A shift whose end is
// before its start runs past midnight (22:00–06:00 belongs to the day it starts). The next shift is
// found in 5-minute steps, then to the minute.
import { z } from 'zod';
import type { Exposure } from '../attribution/model.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day 00:00–23:59');

export const shiftSchedule = z.strictObject({
  timeZone: z.string().min(1).max(64),
  shifts: z.array(z.strictObject({
    name: z.string().trim().regex(/^[\p{L}\p{N} _-]{1,40}$/u, 'letters, digits, spaces, - or _'),
    days: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    start: hhmm,
    end: hhmm,
  })).min(1).max(12),
});
export type ShiftSchedule = z.infer<typeof shiftSchedule>;

export const isKnownTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const shiftChannelId = (channelId: string, shift: string) => `${channelId}~${shift}`;

const STEP = 5 * 60_000;
const HORIZON = 8 * 86_400_000;

/** The shift on duty at t, or null between shifts. */
export function onDuty(s: ShiftSchedule, t: number): string | null {
  const { day, minute } = local(s.timeZone, t);
  for (const sh of s.shifts) {
    const [a, b] = [toMin(sh.start), toMin(sh.end)];
    const today = sh.days.includes(WEEKDAYS[day]!);
    const yesterday = sh.days.includes(WEEKDAYS[(day + 6) % 7]!);
    if (a < b ? today && minute >= a && minute < b : (today && minute >= a) || (yesterday && minute < b)) return sh.name;
  }
  return null;
}

/** The shift that first sees a ticket planted at t, and from when. */
export function exposedShift(s: ShiftSchedule, t: number): { shift: string; from: number } | null {
  const now = onDuty(s, t);
  if (now) return { shift: now, from: t };
  for (let x = t + STEP; x <= t + HORIZON; x += STEP) {
    if (!onDuty(s, x)) continue;
    let y = x - STEP + 60_000;
    while (!onDuty(s, y)) y += 60_000;
    return { shift: onDuty(s, y)!, from: y };
  }
  return null;
}

/** Exposures to scheduled channels moved to their shift's sub-channel. */
export function withShifts(exposures: Exposure[], schedules: Map<string, ShiftSchedule>): Exposure[] {
  if (schedules.size === 0) return exposures;
  return exposures.flatMap((e) => {
    const s = schedules.get(e.channelId);
    if (!s) return [e];
    const x = exposedShift(s, e.from);
    return x ? [{ ...e, channelId: shiftChannelId(e.channelId, x.shift), from: x.from }] : [];
  });
}

/** Parses a channel's `dimensions` JSON for a schedule (a plain-text shift label is no schedule). */
export function scheduleOf(dimensions: string): ShiftSchedule | null {
  try {
    const r = shiftSchedule.safeParse(JSON.parse(dimensions)?.shift);
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function local(tz: string, t: number): { day: number; minute: number } {
  let f = fmtCache.get(tz);
  if (!f) fmtCache.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  const parts = f.formatToParts(new Date(t));
  const get = (k: string) => parts.find((p) => p.type === k)?.value ?? '';
  return { day: WEEKDAYS.indexOf(get('weekday').toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]), minute: Number(get('hour')) * 60 + Number(get('minute')) };
}
const toMin = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3));
