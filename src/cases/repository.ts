import type { Db } from '../store/db.ts';

export const CASE_STATUSES = ['open', 'reported', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const LINK_KINDS = ['channel', 'party', 'campaign', 'hit'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** What a person fills in for the regulator where the tracer cannot know (all optional text). */
export type RegulatorNotice = Partial<Record<
  'whatHappened' | 'foundAt' | 'dataCategories' | 'realRecordsExposed' | 'recordsCountSource' | 'actionsTaken' |
  'vendorInformedAt' | 'regulatorNotifiedAt' | 'reference', string>>;

export interface Case {
  id: string;
  title: string;
  description: string;
  status: CaseStatus;
  assignee: string | null;
  notice: RegulatorNotice;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface CaseLink { kind: LinkKind; ref: string; linkedBy: string; linkedAt: string }
export interface CaseNote { id: number; author: string; text: string; createdAt: string }

interface CaseRow {
  id: string; title: string; description: string; status: CaseStatus; assignee: string | null; notice: string;
  created_by: string; created_at: string; updated_at: string;
}

const toCase = (r: CaseRow): Case => ({
  id: r.id, title: r.title, description: r.description, status: r.status, assignee: r.assignee,
  notice: JSON.parse(r.notice), createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
});

/** Owns cases, case_links and case_notes. Reads of hits and plantings for a case live here too (read-only). */
export class CaseRepository {
  constructor(private readonly db: Db) {}

  insert(c: Case): void {
    this.db.prepare(`INSERT INTO cases (id, title, description, status, assignee, notice, created_by, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(c.id, c.title, c.description, c.status, c.assignee, JSON.stringify(c.notice), c.createdBy, c.createdAt, c.updatedAt);
  }

  get(id: string): Case | undefined {
    const r = this.db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
    return r && toCase(r);
  }

  /** Newest first, keyset-paged on (created_at, id). */
  list(limit: number, after?: { createdAt: string; id: string }): Case[] {
    return (this.db.prepare(`SELECT * FROM cases WHERE @at IS NULL OR (created_at, id) < (@at, @id)
      ORDER BY created_at DESC, id DESC LIMIT @limit`).all({ at: after?.createdAt ?? null, id: after?.id ?? null, limit }) as CaseRow[]).map(toCase);
  }

  update(c: Case): void {
    this.db.prepare('UPDATE cases SET title = ?, description = ?, status = ?, assignee = ?, notice = ?, updated_at = ? WHERE id = ?')
      .run(c.title, c.description, c.status, c.assignee, JSON.stringify(c.notice), c.updatedAt, c.id);
  }

  /** True when the link is new. */
  link(caseId: string, kind: LinkKind, ref: string, by: string, at: string): boolean {
    return this.db.prepare('INSERT INTO case_links (case_id, kind, ref, linked_by, linked_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(caseId, kind, ref, by, at).changes === 1;
  }

  links(caseId: string): CaseLink[] {
    return (this.db.prepare('SELECT kind, ref, linked_by, linked_at FROM case_links WHERE case_id = ? ORDER BY linked_at, kind, ref').all(caseId) as Array<{
      kind: LinkKind; ref: string; linked_by: string; linked_at: string;
    }>).map((r) => ({ kind: r.kind, ref: r.ref, linkedBy: r.linked_by, linkedAt: r.linked_at }));
  }

  addNote(caseId: string, author: string, text: string, at: string): number {
    return Number(this.db.prepare('INSERT INTO case_notes (case_id, author, text, created_at) VALUES (?, ?, ?, ?)').run(caseId, author, text, at).lastInsertRowid);
  }

  notes(caseId: string): CaseNote[] {
    return (this.db.prepare('SELECT id, author, text, created_at FROM case_notes WHERE case_id = ? ORDER BY id').all(caseId) as Array<{
      id: number; author: string; text: string; created_at: string;
    }>).map((r) => ({ id: r.id, author: r.author, text: r.text, createdAt: r.created_at }));
  }

  exists(table: 'channels' | 'parties' | 'campaigns' | 'hits', id: string): boolean {
    const sql = { channels: 'SELECT 1 FROM channels WHERE id = ?', parties: 'SELECT 1 FROM parties WHERE id = ?', campaigns: 'SELECT 1 FROM campaigns WHERE id = ?',
      hits: 'SELECT 1 FROM hits WHERE id = ?' }[table];
    return this.db.prepare(sql).get(id) !== undefined;
  }
}
