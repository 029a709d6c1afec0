// The hit columns that are not facts but are shown as if they were: a call's status and duration
// (folded from its status events and the status its voice webhook carried) and the caller's name
// (what Twilio sent with the call, or else what the caller look-up answered). They are left out of
// the fact's hash because they change after the hit is stored, so verify re-derives each one from
// what is bound instead: an edit that makes a twelve-minute call read "no-answer", or renames the
// caller, shows as a `derived` problem on that hit.
//
// What cannot be re-derived is said, not guessed: a name filled by a look-up is checked against the
// look-up answer the hit keeps (caller_info), and that answer is a third party's, not bound.
import type { Db } from '../store/db.ts';
import { callerNameSent, statusRank, summariseCallStatus } from '../hits/hit.ts';
import { CALL_STATUS_SOURCES } from '../hits/repository.ts';

type Row = Record<string, unknown>;

/** (hit row) → why its derived columns do not follow from its facts, or null when they do. */
export function derivedHitCheck(db: Db): (row: Row) => string | null {
  // The same rows, in the same order, that the store folds (HitRepository.summariseStatus).
  const statuses = db.prepare(CALL_STATUS_SOURCES);
  return (row) => {
    if (row.kind !== 'call') {
      if (row.call_status !== null || row.duration_seconds !== null) return `hit ${row.id} is a ${String(row.kind)} but shows a call status or duration`;
      return nameProblem(row);
    }
    const events = statuses.all(row.provider_sid, row.provider_sid) as Array<{ call_status: string | null; duration_seconds: number | null }>;
    const expected = summariseCallStatus(events);
    // Callbacks of equal rank (two final statuses) may be folded in either order: any of them is the call's.
    const statusOk = row.call_status === expected.callStatus || (row.call_status !== null && expected.callStatus !== null &&
      statusRank(row.call_status as string) === statusRank(expected.callStatus) && events.some((e) => e.call_status === row.call_status));
    if (!statusOk) return `hit ${row.id} shows status ${String(row.call_status)} but its status events say ${String(expected.callStatus)}`;
    if (row.duration_seconds !== expected.durationSeconds) {
      return `hit ${row.id} shows a duration of ${String(row.duration_seconds)} s but its status events say ${String(expected.durationSeconds)} s`;
    }
    return nameProblem(row);
  };
}

function nameProblem(row: Row): string | null {
  const name = row.caller_name as string | null;
  const sent = providerName(row);
  if (sent !== null) return name === sent ? null : `hit ${row.id} shows caller name ${JSON.stringify(name)} but Twilio sent ${JSON.stringify(sent)}`;
  if (name === null) return null;
  const lookedUp = lookupName(row.caller_info);
  return name === lookedUp ? null : `hit ${row.id} shows caller name ${JSON.stringify(name)}, which neither Twilio nor the caller look-up gave`;
}

/** The caller name the provider sent with the call, as ingest stored it. */
function providerName(row: Row): string | null {
  if (row.kind !== 'call') return null;
  try {
    return callerNameSent(JSON.parse(String(row.raw)) as Record<string, unknown>);
  } catch {
    return null;
  }
}

function lookupName(info: unknown): string | null {
  if (typeof info !== 'string') return null;
  try {
    const r = JSON.parse(info) as { status?: string; callerName?: unknown };
    return r.status === 'found' && typeof r.callerName === 'string' ? r.callerName : null;
  } catch {
    return null;
  }
}
