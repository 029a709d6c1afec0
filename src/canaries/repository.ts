import type Database from 'better-sqlite3';
import type { Db } from '../store/db.ts';
import { decodeCursor, pageLimit, pageOf, type Page, type PageRequest } from '../store/paging.ts';
import type { CanaryIdentity, Locale, Persona, PlantingVariant, Ticket } from '../identities/types.ts';
import type { PlantingDetails } from '../planting/target.ts';

/** awaiting-confirmation: a CSV import or intake call staff have yet to confirm; see src/planting. */
export type PlantingStatus = 'pending' | 'awaiting-confirmation' | 'planted' | 'withdrawn' | 'not-planted' | 'needs-review';

export interface Planting {
  id: string;
  canaryId: string;
  channelId: string;
  target: string;
  status: PlantingStatus;
  variant: PlantingVariant;
  externalRef: string | null;
  plantedAt: string | null;
  withdrawnAt: string | null;
  createdAt: string;
  /** What the connector wrote (rows and keys, request body, CSV cells): withdraw and verify use it. */
  details: PlantingDetails;
}

export interface Canary {
  id: string;
  numberId: string;
  phoneNumber: string;
  locale: Locale;
  persona: Persona;
  ticket: Ticket;
  createdAt: string;
  plantings: Planting[];
}

interface CanaryRow {
  id: string;
  number_id: string;
  phone_number: string;
  locale: Locale;
  persona: string;
  ticket: string;
  created_at: string;
}

export interface PlantingRow {
  id: string;
  canary_id: string;
  channel_id: string;
  target: string;
  status: PlantingStatus;
  variant: string;
  external_ref: string | null;
  planted_at: string | null;
  withdrawn_at: string | null;
  created_at: string;
  details: string;
}

export const toPlanting = (r: PlantingRow): Planting => ({
  id: r.id,
  canaryId: r.canary_id,
  channelId: r.channel_id,
  target: r.target,
  status: r.status,
  variant: JSON.parse(r.variant),
  externalRef: r.external_ref,
  plantedAt: r.planted_at,
  withdrawnAt: r.withdrawn_at,
  createdAt: r.created_at,
  details: JSON.parse(r.details ?? '{}'),
});

export interface CanaryFilter {
  channelId?: string;
  since?: string;
  until?: string;
}

const CANARY_SELECT = `SELECT c.*, n.phone_number FROM canaries c JOIN canary_numbers n ON n.id = c.number_id`;

export class CanaryRepository {
  private readonly byNumberStmt;
  private readonly firstPlantedStmt;
  /** Prepared once: a campaign writes thousands of canaries per second through these. */
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();
  private prepared(sql: string) {
    if (!this.statements.has(sql)) this.statements.set(sql, this.db.prepare(sql));
    return this.statements.get(sql)!;
  }

  constructor(private readonly db: Db) {
    this.byNumberStmt = db.prepare('SELECT id FROM canaries WHERE number_id = ?').pluck();
    this.firstPlantedStmt = db
      .prepare(`SELECT min(planted_at) FROM plantings WHERE canary_id = ? AND planted_at IS NOT NULL`)
      .pluck();
  }

  insertCanary(c: { id: string; numberId: string; locale: Locale; createdAt: string; campaignId?: string } & CanaryIdentity): void {
    this
      .prepared(
        `INSERT INTO canaries (id, number_id, locale, persona, ticket, created_at, campaign_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.id, c.numberId, c.locale, JSON.stringify(c.persona), JSON.stringify(c.ticket), c.createdAt, c.campaignId ?? null);
  }

  /** A canary that never reached any target: nothing of it was ever seen, so nothing of it is kept. */
  deleteCanary(id: string): void {
    this.prepared('DELETE FROM plantings WHERE canary_id = ?').run(id);
    this.prepared('DELETE FROM canaries WHERE id = ?').run(id);
  }

  insertPlanting(p: Planting): void {
    this
      .prepared(
        `INSERT INTO plantings (id, canary_id, channel_id, target, status, variant, external_ref, planted_at,
           withdrawn_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(p.id, p.canaryId, p.channelId, p.target, p.status, JSON.stringify(p.variant), p.externalRef,
        p.plantedAt, p.withdrawnAt, p.createdAt);
  }

  markPlanted(plantingId: string, externalRef: string, at: string, details: PlantingDetails = {}): void {
    this
      .prepared(`UPDATE plantings SET status = 'planted', external_ref = ?, planted_at = ?, details = ?, exposed_at = coalesce(exposed_at, ?)
        WHERE id = ? AND status = 'pending'`)
      .run(externalRef, at, JSON.stringify(details), at, plantingId);
  }

  /**
   * Written as an import file or a call script; planted once staff confirm it. exposedAt: when the
   * file was written (a drop file can leak before the import); null for a call not yet made.
   */
  markAwaiting(plantingId: string, details: PlantingDetails, exposedAt: string | null): void {
    this
      .prepared(`UPDATE plantings SET status = 'awaiting-confirmation', details = ?, exposed_at = coalesce(exposed_at, ?) WHERE id = ? AND status = 'pending'`)
      .run(JSON.stringify(details), exposedAt, plantingId);
  }

  /**
   * A planting whose target write was undone because the rest of its canary failed. It was visible from
   * the moment the write began (the pending record is made just before) until now: kept as exposure.
   */
  markRolledBack(plantingId: string, writeBegan: string, at: string): void {
    this
      .prepared(`UPDATE plantings SET status = 'withdrawn', withdrawn_at = ?, exposed_at = coalesce(exposed_at, ?) WHERE id = ?`)
      .run(at, writeBegan, plantingId);
  }

  /** A planting that never reached its target. */
  markNotPlanted(plantingId: string): void {
    this.prepared(`UPDATE plantings SET status = 'not-planted' WHERE id = ? AND status = 'pending'`).run(plantingId);
  }

  markWithdrawn(plantingId: string, at: string): void {
    this.db.prepare(`UPDATE plantings SET status = 'withdrawn', withdrawn_at = ? WHERE id = ?`).run(at, plantingId);
  }

  canaryIdForNumber(numberId: string): string | undefined {
    return this.byNumberStmt.get(numberId) as string | undefined;
  }

  firstPlantedAt(canaryId: string): string | null {
    return (this.firstPlantedStmt.get(canaryId) as string | null) ?? null;
  }

  find(id: string): Canary | undefined {
    const row = this.db.prepare(`${CANARY_SELECT} WHERE c.id = ?`).get(id) as CanaryRow | undefined;
    return row && this.withPlantings([row])[0];
  }

  /** One page, oldest first, keyed on (created_at, id). */
  list(filter: CanaryFilter = {}, page: PageRequest = {}): Page<Canary> {
    const limit = pageLimit(page);
    const after = decodeCursor('canaries', page.cursor, 2);
    const rows = this.prepared(
      `${CANARY_SELECT}
       WHERE (@since IS NULL OR c.created_at >= @since) AND (@until IS NULL OR c.created_at < @until)
         AND (@channelId IS NULL OR c.id IN (SELECT canary_id FROM plantings WHERE channel_id = @channelId))
         AND (@afterAt IS NULL OR (c.created_at, c.id) > (@afterAt, @afterId))
       ORDER BY c.created_at, c.id LIMIT @limit`,
    ).all({
      since: filter.since ?? null, until: filter.until ?? null, channelId: filter.channelId ?? null,
      afterAt: after?.[0] ?? null, afterId: after?.[1] ?? null, limit: limit + 1,
    }) as CanaryRow[];
    const p = pageOf('canaries', rows, limit, (r) => [r.created_at, r.id], (r) => r);
    return { items: this.withPlantings(p.items), nextCursor: p.nextCursor };
  }

  plantingsOf(canaryId: string): Planting[] {
    return (this.db.prepare('SELECT * FROM plantings WHERE canary_id = ? ORDER BY created_at, id').all(canaryId) as PlantingRow[]).map(toPlanting);
  }

  allPlantings(): Planting[] {
    return (this.db.prepare('SELECT * FROM plantings ORDER BY created_at, id').all() as PlantingRow[]).map(toPlanting);
  }

  private withPlantings(rows: CanaryRow[]): Canary[] {
    return rows.map((r) => ({
      id: r.id,
      numberId: r.number_id,
      phoneNumber: r.phone_number,
      locale: r.locale,
      persona: JSON.parse(r.persona),
      ticket: JSON.parse(r.ticket),
      createdAt: r.created_at,
      plantings: this.plantingsOf(r.id),
    }));
  }
}
