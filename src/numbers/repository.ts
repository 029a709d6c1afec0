import type Database from 'better-sqlite3';
import type { Db } from '../store/db.ts';
import { decodeCursor, pageLimit, pageOf, type Page, type PageRequest } from '../store/paging.ts';
import type { NumberType } from './provider.ts';

export const NUMBER_STATUSES = ['burn-in', 'ready', 'assigned', 'retired', 'released'] as const;
export type NumberStatus = (typeof NUMBER_STATUSES)[number];

/**
 * Why a number left service: too noisy in burn-in, its canary retired, staff released it, or a real
 * record of a target already holds it (a real customer's mobile: it can be no canary's there).
 */
export type RetiredReason = 'burn-in-traffic' | 'canary-retired' | 'released-by-staff' | 'held-by-real-record';

export interface CanaryNumber {
  id: string;
  phoneNumber: string;
  country: string;
  provider: 'simulated' | 'twilio';
  providerSid: string | null;
  status: NumberStatus;
  isControl: boolean;
  burnInEndsAt: string | null;
  assignedAt: string | null;
  retiredAt: string | null;
  releasedAt: string | null;
  monthlyPrice: number | null;
  currency: string | null;
  createdAt: string;
  numberType: NumberType | null;
  friendlyName: string | null;
  readyAt: string | null;
  retiredReason: RetiredReason | null;
  releaseError: string | null;
  releaseAttemptedAt: string | null;
  missingSince: string | null;
  backfilledUntil: string | null;
}

export interface NumberRow {
  id: string;
  phone_number: string;
  country: string;
  provider: 'simulated' | 'twilio';
  provider_sid: string | null;
  status: NumberStatus;
  is_control: number;
  burn_in_ends_at: string | null;
  assigned_at: string | null;
  retired_at: string | null;
  released_at: string | null;
  monthly_price: number | null;
  currency: string | null;
  created_at: string;
  number_type: NumberType | null;
  friendly_name: string | null;
  ready_at: string | null;
  retired_reason: RetiredReason | null;
  release_error: string | null;
  release_attempted_at: string | null;
  missing_since: string | null;
  backfilled_until: string | null;
}

export const toNumber = (r: NumberRow): CanaryNumber => ({
  id: r.id,
  phoneNumber: r.phone_number,
  country: r.country,
  provider: r.provider,
  providerSid: r.provider_sid,
  status: r.status,
  isControl: r.is_control === 1,
  burnInEndsAt: r.burn_in_ends_at,
  assignedAt: r.assigned_at,
  retiredAt: r.retired_at,
  releasedAt: r.released_at,
  monthlyPrice: r.monthly_price,
  currency: r.currency,
  createdAt: r.created_at,
  numberType: r.number_type,
  friendlyName: r.friendly_name,
  readyAt: r.ready_at,
  retiredReason: r.retired_reason,
  releaseError: r.release_error,
  releaseAttemptedAt: r.release_attempted_at,
  missingSince: r.missing_since,
  backfilledUntil: r.backfilled_until,
});

export type NewCanaryNumber = Pick<CanaryNumber, 'id' | 'phoneNumber' | 'country' | 'provider' | 'providerSid' | 'status' | 'createdAt'> &
  Partial<Pick<CanaryNumber, 'burnInEndsAt' | 'readyAt' | 'monthlyPrice' | 'currency' | 'numberType' | 'friendlyName' | 'backfilledUntil'>>;

/** Numbers still held on the provider: everything not released. */
const HELD = `status <> 'released'`;

/** Country calling codes of the countries the tracer plants in. */
const COUNTRY_CODES: Record<string, string> = { SA: '966', US: '1' };

export interface HeldBrief { rowid_: number; phone_number: string; provider_sid: string | null; friendly_name: string | null }

export class NumberRepository {
  private readonly byPhoneStmt;

  /** Statements are prepared once per SQL text: campaigns assign thousands of numbers in a row. */
  private readonly statements = new Map<string, Database.Statement>();
  private stmt(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  constructor(private readonly db: Db) {
    this.byPhoneStmt = db.prepare('SELECT * FROM canary_numbers WHERE phone_number = ?');
  }

  insert(n: NewCanaryNumber): void {
    this
      .stmt(
        `INSERT INTO canary_numbers (id, phone_number, country, provider, provider_sid, status, is_control, burn_in_ends_at,
           ready_at, monthly_price, currency, number_type, friendly_name, backfilled_until, created_at)
         VALUES (@id, @phoneNumber, @country, @provider, @providerSid, @status, 0, @burnInEndsAt,
           @readyAt, @monthlyPrice, @currency, @numberType, @friendlyName, @backfilledUntil, @createdAt)`,
      )
      .run({
        burnInEndsAt: null, readyAt: null, monthlyPrice: null, currency: null, numberType: null, friendlyName: null,
        backfilledUntil: null, ...n,
      });
  }

  findByPhone(phone: string): CanaryNumber | undefined {
    const row = this.byPhoneStmt.get(phone) as NumberRow | undefined;
    return row && toNumber(row);
  }

  find(id: string): CanaryNumber | undefined {
    const row = this.stmt('SELECT * FROM canary_numbers WHERE id = ?').get(id) as NumberRow | undefined;
    return row && toNumber(row);
  }

  list(): CanaryNumber[] {
    return (this.stmt('SELECT * FROM canary_numbers ORDER BY created_at, id').all() as NumberRow[]).map(toNumber);
  }

  /** Every number with the count of hits that reached it (by the hits' to-number index). */
  /** One page, oldest first, keyed on (created_at, id), each with its hit count. */
  listWithHits(filter: { status?: NumberStatus } = {}, page: PageRequest = {}): Page<CanaryNumber & { hits: number }> {
    const limit = pageLimit(page);
    const after = decodeCursor('numbers', page.cursor, 2);
    const rows = this
      .stmt(
        `SELECT n.*, (SELECT count(*) FROM hits h WHERE h.to_number = n.phone_number) AS hit_count
         FROM canary_numbers n WHERE (@status IS NULL OR n.status = @status)
           AND (@afterAt IS NULL OR (n.created_at, n.id) > (@afterAt, @afterId))
         ORDER BY n.created_at, n.id LIMIT @limit`,
      )
      .all({ status: filter.status ?? null, afterAt: after?.[0] ?? null, afterId: after?.[1] ?? null, limit: limit + 1 }) as Array<NumberRow & { hit_count: number }>;
    return pageOf('numbers', rows, limit, (r) => [r.created_at, r.id], (r) => ({ ...toNumber(r), hits: r.hit_count }));
  }

  /** Planted (or possibly planted) plantings of the canary that holds this number: its phone is in a target. */
  livePlantingsOf(numberId: string): number {
    return this.stmt(
      `SELECT count(*) FROM plantings p JOIN canaries c ON c.id = p.canary_id
       WHERE c.number_id = ? AND p.status IN ('pending', 'awaiting-confirmation', 'planted', 'needs-review')`,
    ).pluck().get(numberId) as number;
  }

  /** Numbers still held on the provider (not released), oldest first. */
  held(): CanaryNumber[] {
    return (this.stmt(`SELECT * FROM canary_numbers WHERE ${HELD} ORDER BY created_at, id`).all() as NumberRow[]).map(toNumber);
  }

  /** A held number's account fields, by phone or provider sid (indexed): the simulator's restored account. */
  heldBrief(by: 'phone' | 'sid', key: string): HeldBrief | undefined {
    const col = by === 'phone' ? 'phone_number' : 'provider_sid';
    return this.stmt(`SELECT rowid AS rowid_, phone_number, provider_sid, friendly_name FROM canary_numbers WHERE ${col} = ? AND ${HELD}`).get(key) as HeldBrief | undefined;
  }

  heldBriefPage(afterRowid: number, limit: number): HeldBrief[] {
    return this.stmt(`SELECT rowid AS rowid_, phone_number, provider_sid, friendly_name FROM canary_numbers WHERE ${HELD} AND rowid > ? ORDER BY rowid LIMIT ?`)
      .all(afterRowid, limit) as HeldBrief[];
  }

  /** How many numbers are held (not released). */
  heldCount(): number {
    return this.stmt(`SELECT count(*) FROM canary_numbers WHERE ${HELD}`).pluck().get() as number;
  }

  /**
   * Held numbers whose id is not in `seenTable` (a reconcile's temporary table of numbers seen on
   * the account), a page at a time in storage order. The filter runs in SQLite, so a reconcile that
   * saw every number reads no rows here — a large pool is not read twice into memory.
   */
  heldNotSeenPage(seenTable: string, afterRowid: number, limit: number): Array<CanaryNumber & { rowid: number }> {
    if (!/^temp\.reconcile_seen_\d+$/.test(seenTable)) throw new Error(`not a reconcile table: ${seenTable}`);
    const rows = this.db
      .prepare(`SELECT rowid AS rowid_, * FROM canary_numbers WHERE ${HELD} AND rowid > ? AND id NOT IN (SELECT id FROM ${seenTable}) ORDER BY rowid LIMIT ?`)
      .all(afterRowid, limit) as Array<NumberRow & { rowid_: number }>;
    return rows.map((r) => ({ ...toNumber(r), rowid: r.rowid_ }));
  }

  findBySid(providerSid: string): CanaryNumber | undefined {
    const row = this.stmt('SELECT * FROM canary_numbers WHERE provider_sid = ?').get(providerSid) as NumberRow | undefined;
    return row && toNumber(row);
  }

  hitCount(phone: string, before?: string): number {
    return this
      .stmt('SELECT count(*) FROM hits WHERE to_number = ? AND (? IS NULL OR received_at < ?)')
      .pluck()
      .get(phone, before ?? null, before ?? null) as number;
  }

  /** Monthly cost of every held number, per currency. */
  monthlyTotals(): Array<{ currency: string; amount: number; unpriced: number }> {
    return (
      this
        .stmt(
          `SELECT coalesce(currency, '') AS currency, coalesce(sum(monthly_price), 0) AS amount,
                  sum(monthly_price IS NULL) AS unpriced
           FROM canary_numbers WHERE ${HELD} GROUP BY coalesce(currency, '') ORDER BY 1`,
        )
        .all() as Array<{ currency: string; amount: number; unpriced: number }>
    ).map((r) => ({ ...r, amount: Math.round(r.amount * 100) / 100 }));
  }

  /** A ready number of the country: not a control, never assigned, and still on the account. */
  /** A ready number of the country at random; with a national prefix (55, 415), only one that starts with it. */
  takeReady(country: string, nationalPrefix?: string): CanaryNumber | undefined {
    const row = this
      .stmt(
        `SELECT * FROM canary_numbers
         WHERE country = ? AND status = 'ready' AND is_control = 0 AND assigned_at IS NULL AND missing_since IS NULL
           AND (? IS NULL OR substr(phone_number, 2) LIKE ? || '%')
         ORDER BY random() LIMIT 1`,
      )
      .get(country, nationalPrefix ?? null, `${COUNTRY_CODES[country] ?? ''}${nationalPrefix ?? ''}`) as NumberRow | undefined;
    return row && toNumber(row);
  }

  /**
   * A number assigned to a canary that reached no target goes back: a simulated one to its range (it was
   * minted for this canary and no one can have seen it), a real one to ready.
   */
  unassign(id: string): void {
    this.stmt(`DELETE FROM canary_numbers WHERE id = ? AND provider = 'simulated' AND status = 'assigned'`).run(id);
    this.stmt(`UPDATE canary_numbers SET status = 'ready', assigned_at = NULL WHERE id = ? AND status = 'assigned'`).run(id);
  }

  /** Numbers canaries hold now (assigned), for the spread of prefixes. */
  /** Streamed: the spread's first count walks every assigned number without holding them all. */
  assignedPhones(country: string): IterableIterator<string> {
    return this.stmt(`SELECT phone_number FROM canary_numbers WHERE country = ? AND status = 'assigned'`).pluck().iterate(country) as IterableIterator<string>;
  }

  markAssigned(id: string, at: string): void {
    const r = this
      .stmt(`UPDATE canary_numbers SET status = 'assigned', assigned_at = ? WHERE id = ? AND assigned_at IS NULL`)
      .run(at, id);
    if (r.changes !== 1) throw new Error(`number ${id} was already assigned`);
  }

  deleteUnused(id: string): void {
    this.stmt('DELETE FROM canary_numbers WHERE id = ? AND id NOT IN (SELECT number_id FROM canaries)').run(id);
  }

  burnInDue(now: string): CanaryNumber[] {
    return (
      this
        .stmt(`SELECT * FROM canary_numbers WHERE status = 'burn-in' AND burn_in_ends_at <= ? ORDER BY created_at, id`)
        .all(now) as NumberRow[]
    ).map(toNumber);
  }

  /** Numbers of the country that came out of a burn-in ready, and how many of them are controls. */
  burnedInCounts(country: string): { ready: number; controls: number } {
    return this
      .stmt(
        `SELECT count(*) AS ready, coalesce(sum(is_control), 0) AS controls FROM canary_numbers
         WHERE country = ? AND burn_in_ends_at IS NOT NULL AND ready_at IS NOT NULL`,
      )
      .get(country) as { ready: number; controls: number };
  }

  markReady(id: string, at: string, isControl: boolean): void {
    this
      .stmt(`UPDATE canary_numbers SET status = 'ready', ready_at = ?, is_control = ? WHERE id = ? AND status = 'burn-in'`)
      .run(at, isControl ? 1 : 0, id);
  }

  /**
   * Retires a number assigned to a canary that never reached a target: no one can have seen it as a
   * canary's, so it carries no assignment and is released without a quarantine.
   */
  retireUnplanted(id: string, at: string, reason: RetiredReason): boolean {
    return (
      this
        .stmt(
          `UPDATE canary_numbers SET status = 'retired', retired_at = ?, retired_reason = ?, assigned_at = NULL
           WHERE id = ? AND status = 'assigned'`,
        )
        .run(at, reason, id).changes === 1
    );
  }

  /** Retires a number still in service; returns false when it already was out of service. */
  retire(id: string, at: string, reason: RetiredReason): boolean {
    return (
      this
        .stmt(
          `UPDATE canary_numbers SET status = 'retired', retired_at = ?, retired_reason = ?
           WHERE id = ? AND status IN ('burn-in', 'ready', 'assigned')`,
        )
        .run(at, reason, id).changes === 1
    );
  }

  /** Retired numbers whose quarantine is over (or that never were given to a canary). */
  dueForRelease(quarantineEndedFor: string, retryFailedBefore: string): CanaryNumber[] {
    return (
      this
        .stmt(
          `SELECT * FROM canary_numbers
           WHERE status = 'retired'
             AND (assigned_at IS NULL OR retired_at <= @quarantineEndedFor)
             AND (release_attempted_at IS NULL OR release_attempted_at <= @retryFailedBefore)
           ORDER BY retired_at, id`,
        )
        .all({ quarantineEndedFor, retryFailedBefore }) as NumberRow[]
    ).map(toNumber);
  }

  markReleased(id: string, at: string): void {
    this
      .stmt(`UPDATE canary_numbers SET status = 'released', released_at = ?, release_error = NULL, release_attempted_at = ? WHERE id = ?`)
      .run(at, at, id);
  }

  markReleaseFailed(id: string, at: string, error: string): void {
    this.stmt('UPDATE canary_numbers SET release_error = ?, release_attempted_at = ? WHERE id = ?').run(error.slice(0, 1000), at, id);
  }

  setMissing(id: string, since: string | null): void {
    this.stmt('UPDATE canary_numbers SET missing_since = ? WHERE id = ?').run(since, id);
  }

  setBackfilledUntil(id: string, at: string): void {
    this.stmt('UPDATE canary_numbers SET backfilled_until = ? WHERE id = ?').run(at, id);
  }

  numberOfCanary(canaryId: string): CanaryNumber | undefined {
    const row = this
      .stmt('SELECT n.* FROM canary_numbers n JOIN canaries c ON c.number_id = n.id WHERE c.id = ?')
      .get(canaryId) as NumberRow | undefined;
    return row && toNumber(row);
  }

  canaryIdOf(numberId: string): string | null {
    return (this.stmt('SELECT id FROM canaries WHERE number_id = ?').pluck().get(numberId) as string | undefined) ?? null;
  }

  /** Every phone number the tracer ever held: never bought twice, never handed to a second canary. */
  knownPhones(): Set<string> {
    return new Set(this.stmt('SELECT phone_number FROM canary_numbers').pluck().all() as string[]);
  }
}
