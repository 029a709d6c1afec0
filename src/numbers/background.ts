import type { Db } from '../store/db.ts';

const DAY_MS = 86_400_000;

export interface ControlBackground {
  /** Control numbers ever kept (never planted). */
  controlNumbers: number;
  /** Days the control numbers were in service, summed. */
  controlNumberDays: number;
  /** Calls to control numbers per number-day: the background rate any canary number sees. null without control time. */
  controlCallsPerNumberDay: number | null;
}

/**
 * The background call rate, measured on control numbers: numbers bought, burnt in and kept like
 * canary numbers, but never planted — so every call they get is noise. A channel's canaries called
 * at about this rate have told us nothing.
 */
export function controlBackground(db: Db, now: Date, controlCalls?: number): ControlBackground {
  const controls = db
    .prepare(
      `SELECT phone_number, coalesce(ready_at, burn_in_ends_at, created_at) AS since, coalesce(released_at, retired_at) AS until
       FROM canary_numbers WHERE is_control = 1`,
    )
    .all() as Array<{ phone_number: string; since: string; until: string | null }>;
  let days = 0;
  for (const c of controls) {
    const end = Math.min(now.getTime(), c.until ? Date.parse(c.until) : now.getTime());
    days += Math.max(0, end - Date.parse(c.since)) / DAY_MS;
  }
  // The report counts them as it folds new hits (src/attribution/stored-calls.ts) and passes the count.
  const calls = controlCalls ?? db
    .prepare(`SELECT count(*) FROM hits WHERE classification = 'control' AND kind = 'call'`)
    .pluck()
    .get() as number;
  return {
    controlNumbers: controls.length,
    controlNumberDays: Math.round(days * 100) / 100,
    controlCallsPerNumberDay: days > 0 ? Math.round((calls / days) * 10_000) / 10_000 : null,
  };
}
