import type { LatencyModel } from './model.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
/**
 * A leak party mostly calls within minutes to days of receiving a ticket (lognormal), but some
 * call at any time within a month: this share keeps a late call from counting as a miss outright.
 */
const LATE_SHARE = 0.1;
const LATE_WINDOW_DAYS = 30;

/** Density of the leak party's first call at `elapsedMs` after exposure, per day (the unit of r). */
export function latencyDensityPerDay(m: LatencyModel, elapsedMs: number): number {
  if (elapsedMs < 0) return 0;
  const minutes = Math.max(elapsedMs / MINUTE, 0.05);
  const z = (Math.log(minutes) - Math.log(m.medianMinutes)) / m.sigma;
  const perMinute = Math.exp(-0.5 * z * z) / (minutes * m.sigma * Math.sqrt(2 * Math.PI));
  const late = elapsedMs <= LATE_WINDOW_DAYS * DAY ? 1 / LATE_WINDOW_DAYS : 0;
  return (1 - LATE_SHARE) * perMinute * 1440 + LATE_SHARE * late;
}

/** Probability that the leak party's first call has come within `elapsedMs` of exposure. */
export function latencyCdf(m: LatencyModel, elapsedMs: number): number {
  if (elapsedMs <= 0) return 0;
  const z = (Math.log(elapsedMs / MINUTE) - Math.log(m.medianMinutes)) / m.sigma;
  const late = Math.min(1, elapsedMs / (LATE_WINDOW_DAYS * DAY));
  return (1 - LATE_SHARE) * normalCdf(z) + LATE_SHARE * late;
}

/** Abramowitz–Stegun 7.1.26 (error below 1.5e-7): plenty for a likelihood. */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}
