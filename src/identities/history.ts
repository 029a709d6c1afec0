// When things happened in a utility's life: complaints cluster in office hours (a morning peak, a
// dip at lunch), in working days, and in the season's busy months (summer pipes in Riyadh, winter
// freezes in the US); accounts were opened years before the complaint. Real sample rows and
// canaries draw from the same functions, so their times cannot tell them apart.
import { formatInZone, instantOf, wallTime, type WorkingHours } from './clock.ts';
import type { Random } from './random.ts';

/** Relative call volume by hour of day (local time); only the working hours are used. */
const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 4, 8, 12, 13, 12, 8, 9, 11, 9, 7, 5, 4, 3, 2, 2, 1, 1];
/** Relative complaint volume by month (January first). */
export const SEASONS = {
  'ar-SA': [7, 7, 8, 9, 11, 13, 14, 14, 12, 9, 8, 7],
  'en-US': [12, 11, 9, 8, 8, 9, 11, 11, 9, 8, 9, 12],
} as const;

const DAY_MS = 86_400_000;
const TRIES = 2000;

export interface HistoryShape {
  hours: WorkingHours;
  season: readonly number[];
}

/**
 * A complaint's instant within the last `windowDays` days before `now`: a working day chosen with
 * the season's weight, an hour with the day's call pattern, minutes and seconds uniform.
 */
export function drawTicketInstant(random: Random, shape: HistoryShape, now: number, windowDays: number): number {
  const { hours, season } = shape;
  const today = wallTime(now, hours.timeZone);
  const maxSeason = Math.max(...season);
  const workHours = HOUR_WEIGHTS.map((w, h) => (h >= hours.openHour && h < hours.closeHour ? w : 0));
  for (let i = 0; i < TRIES; i++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day) - random.int(0, Math.max(0, windowDays - 1)) * DAY_MS);
    if (!hours.days.includes(date.getUTCDay())) continue;
    if (!random.chance(season[date.getUTCMonth()]! / maxSeason)) continue;
    const hour = weightedIndex(random, workHours);
    const instant = instantOf({
      year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(),
      hour, minute: random.int(0, 59), second: random.int(0, 59),
    }, hours.timeZone);
    if (instant <= now) return instant;
  }
  // Only a clock set just after midnight of a first working day gets here: the last open hour before it.
  return now - random.int(1, 3600) * 1000;
}

/** When the customer's account was opened (ISO with the zone's offset): weeks to decades before the complaint, most within ten years, in office hours. */
export function drawOpenedAt(random: Random, ticketInstant: number, timeZone: string): string {
  const u = random.int(0, 1_000_000) / 1_000_000;
  const ageDays = 30 + Math.floor(365 * 24 * u ** 1.7);
  return formatInZone(ticketInstant - ageDays * DAY_MS, timeZone);
}

export function weightedIndex(random: Random, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random.int(0, Math.max(0, Math.round(total * 1000) - 1)) / 1000;
  for (const [i, w] of weights.entries()) {
    if (r < w) return i;
    r -= w;
  }
  for (let i = weights.length - 1; i > 0; i--) if (weights[i]! > 0) return i;
  return 0;
}
