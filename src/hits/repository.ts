import type { Db } from '../store/db.ts';
import { decodeCursor, pageLimit, pageOf, type Page, type PageRequest } from '../store/paging.ts';
import { summariseCallStatus, toHit, type Hit, type HitClassification, type HitKind, type HitRow } from './hit.ts';

export interface HitFilter {
  canaryId?: string;
  channelId?: string;
  classification?: HitClassification;
  kind?: HitKind;
  /** ISO instants: since inclusive, until exclusive. */
  since?: string;
  until?: string;
}

/**
 * Every status a call was reported with, for summariseCallStatus: its status callbacks, then the
 * status its voice webhook carried (bound: ?1 and ?2 are the call's sid). The store folds these into
 * the hit; `evidence verify` reads the same rows to re-derive what the hit shows.
 */
export const CALL_STATUS_SOURCES = `SELECT call_status, duration_seconds FROM call_status_events WHERE call_sid = ?
       UNION ALL SELECT json_extract(raw, '$.CallStatus'), NULL FROM hits WHERE provider_sid = ? AND kind = 'call'`;

export class HitRepository {
  private readonly insertStmt;
  private readonly bySidStmt;
  private readonly statusInsertStmt;
  private readonly statusForSidStmt;
  private readonly updateStatusStmt;
  private readonly hasEventsStmt;
  private readonly byIdStmt;

  private readonly statements = new Map<string, ReturnType<Db['prepare']>>();
  private prepared(sql: string) {
    if (!this.statements.has(sql)) this.statements.set(sql, this.db.prepare(sql));
    return this.statements.get(sql)!;
  }

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO hits (id, kind, provider_sid, from_number, to_number, caller_name, body, received_at,
                         number_id, canary_id, classification, call_status, raw)
       VALUES (@id, @kind, @providerSid, @from, @to, @callerName, @body, @receivedAt,
               @numberId, @canaryId, @classification, @callStatus, @raw)
       ON CONFLICT (provider_sid) DO NOTHING`,
    );
    this.bySidStmt = db.prepare('SELECT * FROM hits WHERE provider_sid = ?');
    this.byIdStmt = db.prepare('SELECT * FROM hits WHERE id = ?');
    this.statusInsertStmt = db.prepare(
      `INSERT INTO call_status_events (call_sid, call_status, sequence_number, duration_seconds, received_at, raw)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (call_sid, call_status) DO NOTHING`,
    );
    this.statusForSidStmt = db.prepare(CALL_STATUS_SOURCES);
    this.hasEventsStmt = db.prepare('SELECT 1 FROM call_status_events WHERE call_sid = ? LIMIT 1');
    this.updateStatusStmt = db.prepare(
      'UPDATE hits SET call_status = ?, duration_seconds = ? WHERE provider_sid = ?',
    );
  }

  /** Inserts unless a hit with this provider sid exists; returns true when it was new. */
  /** callStatus: the status the voice webhook itself carried (its raw is the hit's raw). */
  insert(hit: Omit<Hit, 'durationSeconds' | 'callerInfo' | 'raw'> & { raw: string }): boolean {
    return this.insertStmt.run(hit).changes === 1;
  }

  findBySid(sid: string): Hit | undefined {
    const row = this.bySidStmt.get(sid) as HitRow | undefined;
    return row && toHit(row);
  }

  /** Returns the new event's id, or null when this (call, status) was stored before. */
  insertStatusEvent(sid: string, status: string, seq: number | null, duration: number | null, at: string, raw: string): number | null {
    const r = this.statusInsertStmt.run(sid, status, seq, duration, at, raw);
    return r.changes === 1 ? Number(r.lastInsertRowid) : null;
  }

  hasStatusEvents(sid: string): boolean {
    return this.hasEventsStmt.get(sid) !== undefined;
  }

  /** Folds every status event stored for a call into its hit: highest-ranked status, longest duration. */
  summariseStatus(sid: string): { callStatus: string | null; durationSeconds: number | null } {
    const summary = summariseCallStatus(this.statusForSidStmt.all(sid, sid) as Array<{ call_status: string | null; duration_seconds: number | null }>);
    this.updateStatusStmt.run(summary.callStatus, summary.durationSeconds, sid);
    return summary;
  }

  get(id: string): Hit | undefined {
    const row = this.byIdStmt.get(id) as HitRow | undefined;
    return row && toHit(row);
  }

  /** One page, oldest first, keyed on (received_at, id): hits stored meanwhile never shift a page. */
  list(filter: HitFilter = {}, page: PageRequest = {}): Page<Hit> {
    const limit = pageLimit(page);
    const after = decodeCursor('hits', page.cursor, 2);
    const rows = this.prepared(
      `SELECT * FROM hits ${LIST_WHERE} ORDER BY received_at, id LIMIT @limit`,
    ).all({ ...listParams(filter, after), limit: limit + 1 }) as HitRow[];
    return pageOf('hits', rows, limit, (r) => [r.received_at, r.id], toHit);
  }

  /** How many hits the filter matches from a cursor on: the total a streamed export's progress bar counts to. */
  count(filter: HitFilter = {}, cursor?: string): number {
    const after = decodeCursor('hits', cursor, 2);
    return this.prepared(
      `SELECT count(*) FROM hits ${LIST_WHERE}`,
    ).pluck().get(listParams(filter, after)) as number;
  }
}

/** A list's filter and keyset position, shared by its pages and its count. */
const LIST_WHERE = `
       WHERE (@canaryId IS NULL OR canary_id = @canaryId)
         AND (@classification IS NULL OR classification = @classification)
         AND (@kind IS NULL OR kind = @kind)
         AND (@since IS NULL OR received_at >= @since)
         AND (@until IS NULL OR received_at < @until)
         AND (@channelId IS NULL OR canary_id IN (SELECT canary_id FROM plantings WHERE channel_id = @channelId))
         AND (@afterAt IS NULL OR (received_at, id) > (@afterAt, @afterId))`;

function listParams(filter: HitFilter, after: readonly unknown[] | null | undefined) {
  return {
    canaryId: filter.canaryId ?? null,
    classification: filter.classification ?? null,
    kind: filter.kind ?? null,
    since: filter.since ?? null,
    until: filter.until ?? null,
    channelId: filter.channelId ?? null,
    afterAt: after?.[0] ?? null,
    afterId: after?.[1] ?? null,
  };
}
