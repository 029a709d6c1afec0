// Small read-only queries the dashboard needs where no service has one. Parameterized SQL only;
// nothing here writes. Tables belong to their areas (hits, plantings, numbers, security events).
import type { Db } from '../store/db.ts';
import { toHit, type Hit, type HitRow } from '../hits/hit.ts';

export interface HitQuery {
  since?: string;
  until?: string;
  channelId?: string;
  canaryId?: string;
  caller?: string;
  classification?: string;
  kind?: string;
  /** Older than this sequence (the next page). */
  before?: number;
  /** Newer than this sequence (live updates). */
  after?: number;
  limit: number;
}

export type SeqHit = Hit & { seq: number };

// A hit "belongs" to a channel when its canary was exposed there (as the report reads it).
const HIT_WHERE = `(@since IS NULL OR h.received_at >= @since) AND (@until IS NULL OR h.received_at < @until)
  AND (@canaryId IS NULL OR h.canary_id = @canaryId)
  AND (@classification IS NULL OR h.classification = @classification)
  AND (@kind IS NULL OR h.kind = @kind)
  AND (@caller IS NULL OR h.from_number = @caller OR instr(lower(coalesce(h.caller_name, '')), lower(@caller)) > 0)
  AND (@channelId IS NULL OR EXISTS (SELECT 1 FROM plantings p WHERE p.canary_id = h.canary_id
       AND p.channel_id = @channelId AND p.exposed_at IS NOT NULL))
  -- A plain range on rowid (no "IS NULL OR"), so SQLite seeks to the cursor instead of scanning every hit.
  AND h.rowid < coalesce(@before, 9223372036854775807) AND h.rowid > coalesce(@after, 0)`;

/** Newest first, one page, with the cursor of the next (older) page. */
export function findHits(db: Db, q: HitQuery): { hits: SeqHit[]; nextBefore: number | null } {
  const rows = db.prepare(`SELECT h.rowid AS seq, h.* FROM hits h WHERE ${HIT_WHERE} ORDER BY h.rowid DESC LIMIT @limit`).all({
    since: q.since ?? null, until: q.until ?? null, canaryId: q.canaryId ?? null, classification: q.classification ?? null,
    kind: q.kind ?? null, caller: q.caller ?? null, channelId: q.channelId ?? null, before: q.before ?? null, after: q.after ?? null,
    limit: q.limit + 1,
  }) as Array<HitRow & { seq: number }>;
  const hits = rows.slice(0, q.limit).map((r) => ({ ...toHit(r), seq: r.seq }));
  return { hits, nextBefore: rows.length > q.limit ? hits[hits.length - 1]!.seq : null };
}

export const lastHitSeq = (db: Db): number => db.prepare('SELECT coalesce(max(rowid), 0) FROM hits').pluck().get() as number;

export function findHit(db: Db, id: string): SeqHit | null {
  const row = db.prepare('SELECT rowid AS seq, * FROM hits WHERE id = ?').get(id) as (HitRow & { seq: number }) | undefined;
  return row ? { ...toHit(row), seq: row.seq } : null;
}

export interface StatusEvent { callStatus: string; sequenceNumber: number | null; durationSeconds: number | null; receivedAt: string; raw: Record<string, unknown> }

export function statusEvents(db: Db, callSid: string): StatusEvent[] {
  return (db.prepare(`SELECT call_status, sequence_number, duration_seconds, received_at, raw FROM call_status_events
      WHERE call_sid = ? ORDER BY received_at, id LIMIT 500`).all(callSid) as Array<{
    call_status: string; sequence_number: number | null; duration_seconds: number | null; received_at: string; raw: string;
  }>).map((r) => ({ callStatus: r.call_status, sequenceNumber: r.sequence_number, durationSeconds: r.duration_seconds, receivedAt: r.received_at, raw: JSON.parse(r.raw) }));
}

export interface ChannelPlanting {
  id: string; canaryId: string; phoneNumber: string; status: string; target: string;
  exposedAt: string | null; plantedAt: string | null; withdrawnAt: string | null; campaignId: string | null;
}

/** A channel's plantings: this is the canary registry, so callers audit the read. */
export function channelPlantings(db: Db, channelId: string): ChannelPlanting[] {
  return db.prepare(`SELECT p.id, p.canary_id AS canaryId, n.phone_number AS phoneNumber, p.status, p.target,
      p.exposed_at AS exposedAt, p.planted_at AS plantedAt, p.withdrawn_at AS withdrawnAt, c.campaign_id AS campaignId
    FROM plantings p JOIN canaries c ON c.id = p.canary_id JOIN canary_numbers n ON n.id = c.number_id
    WHERE p.channel_id = ? ORDER BY p.created_at, p.id LIMIT 1000`).all(channelId) as ChannelPlanting[];
}

const EXPOSED = `SELECT canary_id, min(exposed_at) AS e FROM plantings WHERE channel_id = ? AND exposed_at IS NOT NULL GROUP BY canary_id`;

/** Calls and SMS to the channel's canaries after their exposure, per UTC day. */
export function channelHitsPerDay(db: Db, channelId: string): Array<{ day: string; hits: number }> {
  return db.prepare(`SELECT substr(h.received_at, 1, 10) AS day, count(*) AS hits FROM hits h JOIN (${EXPOSED}) x ON x.canary_id = h.canary_id
    WHERE h.received_at >= x.e GROUP BY day ORDER BY day LIMIT 1000`).all(channelId) as Array<{ day: string; hits: number }>;
}

export const LATENCY_BUCKETS = [5, 15, 60, 360, 1440, 4320] as const;

/** First contact after exposure, per called canary, counted into LATENCY_BUCKETS (minutes; the last bucket is "more"). */
export function channelLatencyHistogram(db: Db, channelId: string): number[] {
  // One index seek per canary (hits_canary is on canary_id, received_at), not a pass over every hit.
  const minutes = db.prepare(`SELECT (julianday(f) - julianday(e)) * 1440 FROM (SELECT x.e,
      (SELECT min(h.received_at) FROM hits h WHERE h.canary_id = x.canary_id AND h.received_at >= x.e) AS f FROM (${EXPOSED}) x)
    WHERE f IS NOT NULL`).pluck().all(channelId) as number[];
  const counts = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
  for (const m of minutes) {
    const i = LATENCY_BUCKETS.findIndex((b) => m < b);
    counts[i === -1 ? LATENCY_BUCKETS.length : i]!++;
  }
  return counts;
}

export interface Warnings {
  missingNumbers: number;
  releaseFailures: number;
  forgedBursts: Array<{ windowStart: string; count: number }>;
  numbersBudget: { spent: number; cap: number; currency: string } | null;
  lookupBudget: { spent: number; cap: number } | null;
  /** Alert outputs disabled after failing in a row (an admin re-enables them). */
  disabledOutputs: number;
}

const BURST_WINDOW_MIN = 10;
const BURST_MIN_COUNT = 5;
const NEAR_CAP = 0.8;

export function warnings(db: Db, now: Date, caps: { monthlyBudget: number | null; lookupDailyBudget: number }): Warnings {
  const missingNumbers = db.prepare(`SELECT count(*) FROM canary_numbers WHERE missing_since IS NOT NULL AND status != 'released'`).pluck().get() as number;
  const releaseFailures = db.prepare('SELECT count(*) FROM canary_numbers WHERE release_error IS NOT NULL').pluck().get() as number;
  const since = new Date(now.getTime() - 24 * 3_600_000).toISOString();
  // Forged webhooks in the last day, counted per 10-minute window; a window with 5 or more is a burst.
  // Security events are kept as counts per minute, source, path and reason (src/security).
  const forgedBursts = (db.prepare(`SELECT min(first_at) AS windowStart, sum(count) AS count FROM security_events WHERE last_at >= ?
      GROUP BY CAST((julianday(first_at) * 1440) / ${BURST_WINDOW_MIN} AS INTEGER) HAVING sum(count) >= ${BURST_MIN_COUNT}
      ORDER BY windowStart DESC LIMIT 20`).all(since) as Warnings['forgedBursts']);
  const spend = db.prepare(`SELECT coalesce(currency, '') AS currency, coalesce(sum(monthly_price), 0) AS amount FROM canary_numbers
      WHERE status != 'released' GROUP BY 1 ORDER BY 2 DESC LIMIT 1`).get() as { currency: string; amount: number } | undefined;
  const numbersBudget = caps.monthlyBudget !== null && spend && spend.amount >= NEAR_CAP * caps.monthlyBudget
    ? { spent: spend.amount, cap: caps.monthlyBudget, currency: spend.currency } : null;
  const lookups = (db.prepare('SELECT lookups FROM lookup_spend WHERE day = ?').pluck().get(now.toISOString().slice(0, 10)) as number | undefined) ?? 0;
  const lookupBudget = caps.lookupDailyBudget > 0 && lookups >= NEAR_CAP * caps.lookupDailyBudget ? { spent: lookups, cap: caps.lookupDailyBudget } : null;
  const disabledOutputs = db.prepare('SELECT count(*) FROM alert_outputs WHERE enabled = 0').pluck().get() as number;
  return { missingNumbers, releaseFailures, forgedBursts, numbersBudget, lookupBudget, disabledOutputs };
}

export const warningCount = (w: Warnings) =>
  (w.missingNumbers > 0 ? 1 : 0) + (w.releaseFailures > 0 ? 1 : 0) + w.forgedBursts.length + (w.numbersBudget ? 1 : 0) + (w.lookupBudget ? 1 : 0) + (w.disabledOutputs > 0 ? 1 : 0);

/** Calls and SMS from any of a party's numbers, newest first, one page (cursor: older than `before`). */
export function hitsFromNumbers(db: Db, numbers: string[], o: { before?: number; limit: number }): { hits: SeqHit[]; nextBefore: number | null } {
  const rows = db.prepare(`SELECT h.rowid AS seq, h.* FROM hits h WHERE h.from_number IN (SELECT value FROM json_each(@numbers))
      AND h.rowid < coalesce(@before, 9223372036854775807) ORDER BY h.rowid DESC LIMIT @limit`)
    .all({ numbers: JSON.stringify(numbers), before: o.before ?? null, limit: o.limit + 1 }) as Array<HitRow & { seq: number }>;
  const hits = rows.slice(0, o.limit).map((r) => ({ ...toHit(r), seq: r.seq }));
  return { hits, nextBefore: rows.length > o.limit ? hits[hits.length - 1]!.seq : null };
}
