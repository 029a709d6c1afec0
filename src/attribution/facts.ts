// The decoder's facts, read from the store as it stands now: channels, exposures (src/planting/exposure.ts)
// and the background rate measured on controls and burn-in. The calls are folded by stored-calls.ts.
import type { Db } from '../store/db.ts';
import { canaryExposures, withShiftChannels } from '../planting/exposure.ts';
import { WITHHELD_PREFIX, type Exposure } from './model.ts';

const DAY = 86_400_000;
/**
 * Prior on the background rate: 0.12 calls per number-day (about one call per line per 8 days, as a
 * large telephony honeypot measured on fresh lines), worth 10 number-days of measurement.
 */
export const BACKGROUND_PRIOR = { perNumberDay: 0.12, numberDays: 10 };

/** Caller IDs that mean "withheld": each such call is a caller of its own, never one caller. */
const WITHHELD = new Set(['', 'anonymous', 'restricted', 'unknown', 'unavailable', 'private', 'blocked', '+266696687', '+86282452253', '+8656696', '+2562533']);

/** The caller as evidence: withheld → a key of its own; a number of an accepted party → the party's id (one firm, one party). */
export const callerKey = (from: string, hitId: string, partyOf?: Map<string, string>): string =>
  WITHHELD.has(from.trim().toLowerCase()) || !/^\+?\d{3,16}$/.test(from.trim()) ? `${WITHHELD_PREFIX}${hitId}` : partyOf?.get(from) ?? from;

export interface ChannelFact {
  id: string;
  name: string;
  kind: string;
}

export interface Background {
  perNumberDay: number;
  /** What was measured: calls and number-days on controls and during burn-in. */
  calls: number;
  numberDays: number;
}

/** The facts besides the calls, which src/attribution/stored-calls.ts folds and keeps between decodes. */
export interface AttributionFacts {
  channels: ChannelFact[];
  exposures: Exposure[];
  background: Background;
}

export function loadFacts(db: Db, now: Date): AttributionFacts {
  const channels = withShiftChannels(db, db.prepare('SELECT id, name, kind FROM channels ORDER BY created_at, id').all() as ChannelFact[]);
  return { channels, exposures: canaryExposures(db), background: measuredBackground(db, now) };
}

/**
 * Background calls per number-day: calls to control numbers (never planted) and to numbers in burn-in,
 * over the days they were in that state, with the prior above for when little is measured yet.
 */
export function measuredBackground(db: Db, now: Date): Background {
  const nowIso = now.toISOString();
  // CROSS JOIN keeps the spans outside: each span counts its own number's calls in hits_to_kind, instead
  // of every hit being looked up among the spans.
  const row = db.prepare(
    `WITH spans AS (
       SELECT phone_number AS phone, coalesce(ready_at, burn_in_ends_at, created_at) AS since,
              coalesce(released_at, retired_at, @now) AS until
         FROM canary_numbers WHERE is_control = 1
       UNION ALL
       SELECT phone_number, created_at, min(coalesce(ready_at, burn_in_ends_at, @now), coalesce(assigned_at, @now), @now)
         FROM canary_numbers WHERE is_control = 0 AND coalesce(ready_at, burn_in_ends_at, @now) > created_at
     )
     SELECT
       (SELECT coalesce(sum(max(0, julianday(until) - julianday(since))), 0) FROM spans) AS days,
       (SELECT count(*) FROM spans s CROSS JOIN hits h ON h.to_number = s.phone AND h.kind = 'call' AND h.received_at >= s.since AND h.received_at < s.until) AS calls`,
  ).get({ now: nowIso }) as { days: number; calls: number };
  const days = Math.max(0, row.days);
  const perNumberDay = (BACKGROUND_PRIOR.perNumberDay * BACKGROUND_PRIOR.numberDays + row.calls) / (BACKGROUND_PRIOR.numberDays + days);
  return { perNumberDay: Math.round(perNumberDay * 10_000) / 10_000, calls: row.calls, numberDays: Math.round(days * 100) / 100 };
}

export const DAY_MS = DAY;
