import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../store/db.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { RegistryAudit } from '../access/tokens.ts';
import { AppError, notFound } from '../errors.ts';
import { randomId } from '../ids.ts';
import { CASE_STATUSES, CaseRepository, type Case, type CaseLink, type CaseNote, type LinkKind } from './repository.ts';
import { CaseScope } from './scope.ts';

/** Who did it: kept on the case, in the evidence log and in the registry audit. */
export interface Actor { actor: string; role: string }

const text = (max: number) => z.string().trim().max(max).refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(s), 'must not hold control or bidi-override characters');
const ids = z.array(z.string().min(1).max(100)).max(1000);

export const createCaseInput = z.strictObject({
  title: text(200).pipe(z.string().min(1, 'a case needs a title')),
  description: text(10_000).default(''),
  assignee: text(200).optional(),
  channelIds: ids.default([]),
  partyIds: ids.default([]),
  campaignIds: ids.default([]),
  hitIds: ids.default([]),
});

export const noticeInput = z.strictObject({
  whatHappened: text(10_000), foundAt: text(100), dataCategories: text(2000), realRecordsExposed: text(100),
  recordsCountSource: text(2000), actionsTaken: text(10_000), vendorInformedAt: text(100), regulatorNotifiedAt: text(100), reference: text(200),
}).partial();

export const updateCaseInput = z.strictObject({
  title: text(200).pipe(z.string().min(1)).optional(),
  description: text(10_000).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  assignee: text(200).nullable().optional(),
  notice: noticeInput.optional(),
});

export const linkInput = z.strictObject({ channelIds: ids.default([]), partyIds: ids.default([]), campaignIds: ids.default([]), hitIds: ids.default([]) });
export const noteInput = z.strictObject({ text: z.string().max(20_000).refine((s) => s.trim().length > 0, 'a note needs text') });

export interface CaseDetail extends Case { links: CaseLink[]; notes: CaseNote[]; canaries: number; hits: number }

export const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/**
 * Cases: opened, linked, annotated and updated by investigators and admins. Every act is an
 * evidence-log entry (subject: the case id) in the same transaction as the change. A case's
 * canaries are registry data, so any act that reveals them is recorded in the registry audit.
 */
export class CaseService {
  readonly repo: CaseRepository;
  readonly scope: CaseScope;

  constructor(private readonly d: { db: Db; evidence: EvidenceLog; audit: RegistryAudit; clock: () => Date }) {
    this.repo = new CaseRepository(d.db);
    this.scope = new CaseScope(d.db);
  }

  create(input: z.input<typeof createCaseInput>, who: Actor): CaseDetail {
    const o = createCaseInput.parse(input);
    const at = this.d.clock().toISOString();
    const c: Case = { id: randomId('case'), title: o.title, description: o.description, status: 'open', assignee: o.assignee ?? null,
      notice: {}, createdBy: who.actor, createdAt: at, updatedAt: at };
    this.d.db.transaction(() => {
      this.repo.insert(c);
      this.d.evidence.append(at, 'case-opened', c.id, { by: who.actor, role: who.role, title: c.title, descriptionSha256: sha256(c.description), assignee: c.assignee }, this.fact(c.id));
      this.linkAll(c.id, o, who, at);
    })();
    return this.detail(c.id);
  }

  link(id: string, input: z.input<typeof linkInput>, who: Actor): CaseDetail {
    const o = linkInput.parse(input);
    this.mustGet(id);
    this.d.db.transaction(() => this.linkAll(id, o, who, this.d.clock().toISOString()))();
    return this.detail(id);
  }

  update(id: string, input: z.input<typeof updateCaseInput>, who: Actor): CaseDetail {
    const o = updateCaseInput.parse(input);
    const c = this.mustGet(id);
    const at = this.d.clock().toISOString();
    const next: Case = { ...c, ...(o.title !== undefined && { title: o.title }), ...(o.description !== undefined && { description: o.description }),
      ...(o.status && { status: o.status }), ...(o.assignee !== undefined && { assignee: o.assignee }),
      notice: { ...c.notice, ...o.notice }, updatedAt: at };
    const changed = Object.keys(o);
    this.d.db.transaction(() => {
      this.repo.update(next);
      this.d.evidence.append(at, 'case-updated', id, { by: who.actor, role: who.role, changed, status: next.status, assignee: next.assignee,
        noticeSha256: sha256(JSON.stringify(next.notice)) }, this.fact(id));
    })();
    return this.detail(id);
  }

  addNote(id: string, input: z.input<typeof noteInput>, who: Actor): CaseNote {
    const { text: body } = noteInput.parse(input);
    this.mustGet(id);
    const at = this.d.clock().toISOString();
    const noteId = this.d.db.transaction(() => {
      const n = this.repo.addNote(id, who.actor, body, at);
      // The text itself is in the bundle's notes file; its hash here binds it to the chain.
      this.d.evidence.append(at, 'case-note', id, { by: who.actor, role: who.role, noteId: n, textSha256: sha256(body) }, this.fact(id));
      return n;
    })();
    return { id: noteId, author: who.actor, text: body, createdAt: at };
  }

  /** Records an act that produced something from the case (a report, a bundle). */
  recordAct(id: string, kind: 'case-report' | 'case-bundle', who: Actor, payload: Record<string, unknown>): void {
    const at = this.d.clock().toISOString();
    this.d.db.transaction(() => {
      this.d.evidence.append(at, kind, id, { by: who.actor, role: who.role, ...payload }, this.fact(id));
      this.d.audit.record(who.actor, who.role, kind, id);
    })();
  }

  list(o: { limit?: number; cursor?: string } = {}): { cases: Case[]; nextCursor: string | null } {
    const limit = o.limit ?? 50;
    const after = o.cursor ? decodeCursor(o.cursor) : undefined;
    const page = this.repo.list(limit + 1, after);
    const last = page.length > limit ? page[limit - 1]! : null;
    return { cases: page.slice(0, limit), nextCursor: last ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url') : null };
  }

  /** The case with its links and notes; its canaries are counted, not listed (no registry read). */
  detail(id: string): CaseDetail {
    const c = this.mustGet(id);
    return { ...c, links: this.repo.links(id), notes: this.repo.notes(id), canaries: this.scope.canaryIds(id).length, hits: this.scope.hitCount(id) };
  }

  mustGet(id: string): Case {
    const c = this.repo.get(id);
    if (!c) throw notFound('case', id);
    return c;
  }

  /** Every act binds the case as it now stands, its links and notes included (src/evidence/facts.ts). */
  private fact(id: string) {
    return { table: 'cases', id } as const;
  }

  private linkAll(id: string, o: z.output<typeof linkInput>, who: Actor, at: string): void {
    // A party the caller names that does not exist is a bad request (as on /parties: unknown-party),
    // checked before anything is linked; the transaction undoes the rest if a later ref is unknown.
    const unknownParty = o.partyIds.find((ref) => !this.repo.exists('parties', ref));
    if (unknownParty !== undefined) throw new AppError('unknown-party', `party ${JSON.stringify(unknownParty)} does not exist: see tracer parties list`, 400);
    const wanted: Array<[LinkKind, 'channels' | 'parties' | 'campaigns' | 'hits', string[]]> = [['channel', 'channels', o.channelIds], ['party', 'parties', o.partyIds],
      ['campaign', 'campaigns', o.campaignIds], ['hit', 'hits', o.hitIds]];
    for (const [kind, table, refs] of wanted) {
      for (const ref of refs) {
        if (!this.repo.exists(table, ref)) throw notFound(kind, ref);
        if (!this.repo.link(id, kind, ref, who.actor, at)) continue;
        this.d.evidence.append(at, 'case-linked', id, { by: who.actor, role: who.role, kind, ref }, this.fact(id));
        // A channel or campaign brings its canaries into the case, a hit or a party's calls name some: a registry read.
        this.d.audit.record(who.actor, who.role, `case-link-${kind}`, `${id}:${ref}`);
      }
    }
  }
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch { /* falls through */ }
  throw new AppError('invalid-cursor', 'cursor: not a cursor this list gave', 400);
}
