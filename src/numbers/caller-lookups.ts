import type { Db } from '../store/db.ts';
import type { CallerInfo } from './provider.ts';

/** What a hit keeps about its caller: the look-up's answer, or why there was none. */
export type CallerLookupResult =
  | { status: 'found'; source: 'lookup' | 'cache'; callerName: string | null; callerType: string | null;
      lineType: string | null; carrierName: string | null; lookedUpAt: string }
  | { status: 'skipped' | 'failed'; reason: string };

interface CachedRow {
  caller_name: string | null;
  caller_type: string | null;
  line_type: string | null;
  carrier_name: string | null;
  looked_up_at: string;
}

/**
 * The caller look-up cache (one row per caller number), the per-day count of look-ups made, and
 * the hit columns a look-up fills. The hits table is written here, not in src/hits, because this
 * is the only writer of caller_info and it must share the outbox's batch transaction.
 */
export class CallerLookupRepository {
  private readonly cachedStmt;
  private readonly spentStmt;
  private readonly applyStmt;

  constructor(private readonly db: Db) {
    this.cachedStmt = db.prepare('SELECT * FROM caller_lookups WHERE phone_number = ?');
    this.spentStmt = db.prepare('SELECT lookups FROM lookup_spend WHERE day = ?').pluck();
    this.applyStmt = db.prepare('UPDATE hits SET caller_name = coalesce(caller_name, ?), caller_info = ? WHERE id = ?');
  }

  cached(phoneNumber: string): CallerLookupResult | undefined {
    const row = this.cachedStmt.get(phoneNumber) as CachedRow | undefined;
    if (!row) return undefined;
    return {
      status: 'found', source: 'cache', callerName: row.caller_name, callerType: row.caller_type,
      lineType: row.line_type, carrierName: row.carrier_name, lookedUpAt: row.looked_up_at,
    };
  }

  remember(info: CallerInfo, at: string): void {
    this.db
      .prepare(
        `INSERT INTO caller_lookups (phone_number, caller_name, caller_type, line_type, carrier_name, raw, looked_up_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (phone_number) DO UPDATE SET caller_name = excluded.caller_name, caller_type = excluded.caller_type,
           line_type = excluded.line_type, carrier_name = excluded.carrier_name, raw = excluded.raw, looked_up_at = excluded.looked_up_at`,
      )
      .run(info.phoneNumber, info.callerName, info.callerType, info.lineType, info.carrierName, JSON.stringify(info.raw), at);
  }

  spent(day: string): number {
    return (this.spentStmt.get(day) as number | undefined) ?? 0;
  }

  countLookup(day: string): void {
    this.db.prepare('INSERT INTO lookup_spend (day, lookups) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET lookups = lookups + 1').run(day);
  }

  /** The caller's name fills the hit's only when the provider sent none with the call. */
  applyToHit(hitId: string, result: CallerLookupResult): void {
    const name = result.status === 'found' ? result.callerName : null;
    this.applyStmt.run(name, JSON.stringify(result), hitId);
  }

  callerInfoOf(hitId: string): CallerLookupResult | null {
    const raw = this.db.prepare('SELECT caller_info FROM hits WHERE id = ?').pluck().get(hitId) as string | null | undefined;
    return raw ? (JSON.parse(raw) as CallerLookupResult) : null;
  }
}
