import type { Db } from '../store/db.ts';
import { decodeCursor, pageLimit, pageOf, type Page, type PageRequest } from '../store/paging.ts';
import { toPlanting, type Planting, type PlantingRow, type PlantingStatus } from '../canaries/repository.ts';
import type { PlantingDetails } from './target.ts';

/** A planting that still holds (or may hold) something in its target. */
export const LIVE_STATUSES: PlantingStatus[] = ['pending', 'awaiting-confirmation', 'planted', 'needs-review'];

export interface PlantingListItem extends Planting {
  channelName: string;
  phoneNumber: string;
  verifyState: string | null;
  verifiedAt: string | null;
}

type ListRow = PlantingRow & { channel_name: string; phone_number: string; verify_state: string | null; verified_at: string | null };

export interface PlantingFilter {
  status?: PlantingStatus;
  canaryId?: string;
  channelId?: string;
  since?: string;
  until?: string;
}

/** The planting lifecycle after creation: confirmation, withdrawal, verification, reconciliation. */
export class PlantingRepository {
  constructor(private readonly db: Db) {}

  find(id: string): PlantingListItem | undefined {
    const row = this.db.prepare(`${LIST_SELECT} WHERE p.id = ?`).get(id) as ListRow | undefined;
    return row && toItem(row);
  }

  list(filter: { status?: PlantingStatus; canaryId?: string } = {}): PlantingListItem[] {
    const rows = this.db
      .prepare(`${LIST_SELECT} WHERE (@status IS NULL OR p.status = @status) AND (@canary IS NULL OR p.canary_id = @canary)
        ORDER BY p.created_at, p.id`)
      .all({ status: filter.status ?? null, canary: filter.canaryId ?? null }) as ListRow[];
    return rows.map(toItem);
  }

  /** One page, oldest first, keyed on (created_at, id). */
  page(filter: PlantingFilter = {}, page: PageRequest = {}): Page<PlantingListItem> {
    const limit = pageLimit(page);
    const after = decodeCursor('plantings', page.cursor, 2);
    const rows = this.db
      .prepare(`${LIST_SELECT} WHERE (@status IS NULL OR p.status = @status) AND (@canary IS NULL OR p.canary_id = @canary)
          AND (@channel IS NULL OR p.channel_id = @channel)
          AND (@since IS NULL OR p.created_at >= @since) AND (@until IS NULL OR p.created_at < @until)
          AND (@afterAt IS NULL OR (p.created_at, p.id) > (@afterAt, @afterId))
        ORDER BY p.created_at, p.id LIMIT @limit`)
      .all({
        status: filter.status ?? null, canary: filter.canaryId ?? null, channel: filter.channelId ?? null,
        since: filter.since ?? null, until: filter.until ?? null, afterAt: after?.[0] ?? null, afterId: after?.[1] ?? null, limit: limit + 1,
      }) as ListRow[];
    return pageOf('plantings', rows, limit, (r) => [r.created_at, r.id], toItem);
  }

  /** The planting awaiting confirmation whose import-file row carries this key (the import report names rows by it). */
  awaitingByKey(key: string): string[] {
    return this.db
      .prepare(`SELECT id FROM plantings WHERE status = 'awaiting-confirmation' AND json_extract(details, '$.key') = ? ORDER BY created_at, id`)
      .pluck()
      .all(key) as string[];
  }

  pendingCreatedBefore(iso: string): PlantingListItem[] {
    return (this.db.prepare(`${LIST_SELECT} WHERE p.status = 'pending' AND p.created_at <= ? ORDER BY p.created_at, p.id`).all(iso) as ListRow[]).map(toItem);
  }

  /** Details of the canary's other plantings in the same target that still hold rows there. */
  liveSiblingDetails(p: Pick<Planting, 'id' | 'canaryId' | 'target'>): PlantingDetails[] {
    const marks = LIVE_STATUSES.map(() => '?').join(', ');
    return (this.db
      .prepare(`SELECT details FROM plantings WHERE canary_id = ? AND target = ? AND id <> ? AND status IN (${marks})`)
      .pluck()
      .all(p.canaryId, p.target, p.id, ...LIVE_STATUSES) as string[]).map((d) => JSON.parse(d));
  }

  confirm(id: string, externalRef: string, plantedAt: string): boolean {
    return this.db
      .prepare(`UPDATE plantings SET status = 'planted', external_ref = ?, planted_at = ?,
          exposed_at = CASE WHEN exposed_at IS NULL OR exposed_at > ? THEN ? ELSE exposed_at END
        WHERE id = ? AND status = 'awaiting-confirmation'`)
      .run(externalRef, plantedAt, plantedAt, plantedAt, id).changes === 1;
  }

  settle(id: string, status: PlantingStatus, fields: { externalRef?: string; plantedAt?: string; details?: PlantingDetails } = {}): void {
    this.db
      .prepare(`UPDATE plantings SET status = @status, external_ref = coalesce(@ref, external_ref), planted_at = coalesce(@at, planted_at),
          exposed_at = CASE WHEN @status = 'planted' THEN coalesce(exposed_at, @at, planted_at) ELSE exposed_at END,
          details = coalesce(@details, details) WHERE id = @id`)
      .run({ id, status, ref: fields.externalRef ?? null, at: fields.plantedAt ?? null, details: fields.details ? JSON.stringify(fields.details) : null });
  }

  recordVerify(id: string, state: string, at: string): void {
    this.db.prepare('UPDATE plantings SET verify_state = ?, verified_at = ? WHERE id = ?').run(state, at, id);
  }
}

const LIST_SELECT = `SELECT p.*, ch.name AS channel_name, n.phone_number FROM plantings p
  JOIN channels ch ON ch.id = p.channel_id JOIN canaries c ON c.id = p.canary_id JOIN canary_numbers n ON n.id = c.number_id`;

const toItem = (r: ListRow): PlantingListItem => ({
  ...toPlanting(r),
  channelName: r.channel_name,
  phoneNumber: r.phone_number,
  verifyState: r.verify_state,
  verifiedAt: r.verified_at,
});

/** Keys of every row the tracer wrote into a target, by table: learning and auditing leave them out of "real". */
export function writtenKeys(db: Db, target: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const rows = db.prepare('SELECT details, external_ref AS ref FROM plantings WHERE target = ?').iterate(target) as IterableIterator<{ details: string; ref: string | null }>;
  for (const { details, ref } of rows) {
    const d = JSON.parse(details || '{}') as { rows?: Array<{ table: string; key: unknown }>; file?: string; key?: string; body?: unknown };
    // SQL plantings record their rows; a CSV planting its row's key (table "csv"); a CRM planting its ticket's id (table "crm").
    const keys = d.rows ?? (d.file && d.key !== undefined ? [{ table: 'csv', key: d.key }] : d.body !== undefined && ref !== null ? [{ table: 'crm', key: ref }] : []);
    for (const r of keys) {
      if (!out.has(r.table)) out.set(r.table, new Set());
      out.get(r.table)!.add(String(r.key));
    }
  }
  return out;
}
