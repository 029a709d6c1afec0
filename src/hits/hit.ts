export type HitKind = 'call' | 'sms';

/**
 * How a hit stands as evidence at the moment it arrived. Attribution recomputes from raw times,
 * but the label tells an investigator at a glance why a hit counts or not.
 */
export type HitClassification =
  | 'after-planting' // a canary's number, called after the canary was planted: evidence
  | 'before-planting' // a canary's number, called before any planting: noise
  | 'unmatched' // a number no canary holds
  | 'burn-in' // a number still in burn-in: its background traffic
  | 'control'; // a control number, never planted: the background rate

/** Every classification, for filters that must refuse a misspelt one. */
export const HIT_CLASSIFICATIONS = ['after-planting', 'before-planting', 'unmatched', 'burn-in', 'control'] as const satisfies readonly HitClassification[];
export const HIT_KINDS = ['call', 'sms'] as const satisfies readonly HitKind[];

export interface Hit {
  id: string;
  kind: HitKind;
  providerSid: string;
  from: string;
  to: string;
  callerName: string | null;
  body: string | null;
  receivedAt: string;
  numberId: string | null;
  canaryId: string | null;
  classification: HitClassification;
  callStatus: string | null;
  durationSeconds: number | null;
  /** The caller look-up (Lookup v2 or cache) once enrichment has run; null before. */
  callerInfo: Record<string, unknown> | null;
  raw: Record<string, unknown>;
}

export interface HitRow {
  id: string;
  kind: HitKind;
  provider_sid: string;
  from_number: string;
  to_number: string;
  caller_name: string | null;
  body: string | null;
  received_at: string;
  number_id: string | null;
  canary_id: string | null;
  classification: HitClassification;
  call_status: string | null;
  duration_seconds: number | null;
  caller_info?: string | null;
  raw: string;
}

export const toHit = (r: HitRow): Hit => ({
  id: r.id,
  kind: r.kind,
  providerSid: r.provider_sid,
  from: r.from_number,
  to: r.to_number,
  callerName: r.caller_name,
  body: r.body,
  receivedAt: r.received_at,
  numberId: r.number_id,
  canaryId: r.canary_id,
  classification: r.classification,
  callStatus: r.call_status,
  durationSeconds: r.duration_seconds,
  callerInfo: r.caller_info ? JSON.parse(r.caller_info) : null,
  raw: JSON.parse(r.raw),
});

/** Final outcomes outrank progress reports, so callbacks can arrive in any order. */
const STATUS_RANK: Record<string, number> = {
  queued: 1,
  initiated: 2,
  ringing: 3,
  'in-progress': 4,
  answered: 4,
  completed: 10,
  busy: 10,
  'no-answer': 10,
  failed: 10,
  canceled: 10,
};
export const statusRank = (s: string | null | undefined) => (s ? (STATUS_RANK[s] ?? 0) : -1);

/**
 * A call's status and duration as its hit row shows them, from every status it was reported with
 * (its status callbacks and the status its voice webhook carried): the highest-ranked status, the
 * longest duration. Recording callbacks are not the call's status. The store keeps the result on
 * the hit (src/hits/repository.ts) and `evidence verify` re-derives it from the bound rows.
 */
export function summariseCallStatus(events: Array<{ call_status: string | null; duration_seconds: number | null }>): { callStatus: string | null; durationSeconds: number | null } {
  const callEvents = events.filter((e): e is { call_status: string; duration_seconds: number | null } =>
    typeof e.call_status === 'string' && !e.call_status.startsWith('recording:'));
  if (callEvents.length === 0) return { callStatus: null, durationSeconds: null };
  const best = callEvents.reduce((a, b) => (statusRank(b.call_status) > statusRank(a.call_status) ? b : a));
  const durations = callEvents.map((e) => e.duration_seconds).filter((d): d is number => d !== null);
  return { callStatus: best.call_status, durationSeconds: durations.length ? Math.max(...durations) : null };
}

/**
 * The caller name the provider sent with a call, from the raw parameters as stored: a webhook's
 * `CallerName` (kept as sent, even empty), or a backfilled call's `callerName` from the REST API
 * (empty means none). Ingest stores it (src/numbers/reconcile.ts); `evidence verify` re-derives it.
 */
export function callerNameSent(raw: Record<string, unknown>): string | null {
  if (raw.tracerSource === 'backfill') return typeof raw.callerName === 'string' && raw.callerName !== '' ? raw.callerName : null;
  return typeof raw.CallerName === 'string' ? raw.CallerName : null;
}
