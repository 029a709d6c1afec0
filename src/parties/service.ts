// Parties: the tracer proposes, investigators decide. Every act (propose, create, accept, merge,
// split, rename, note) is one transaction with its evidence-log entry naming who did it, so an act
// that fails leaves nothing half-changed.
import { z } from 'zod';
import type { Db } from '../store/db.ts';
import { AppError, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { FactRef } from '../evidence/facts.ts';
import { proposeGroupings, type Proposal } from './proposals.ts';
import { PartyRepository, type PartyRow } from './repository.ts';

const phone = z.string().trim().regex(/^\+\d{6,15}$/, 'an E.164 number such as +966112345678');
const name = z.string().trim().min(1).max(200);
export const createPartyInput = z.strictObject({ name, numbers: z.array(phone).min(1).max(200) });
export const mergeInput = z.strictObject({ from: z.array(z.string().min(1).max(100)).min(1).max(50) });
export const splitInput = z.strictObject({ numbers: z.array(phone).min(1).max(200), name });
export const renameInput = z.strictObject({ name });
export const noteInput = z.strictObject({ text: z.string().trim().min(1).max(4000) });

export interface PartyDetail extends PartyRow {
  notes: Array<{ at: string; actor: string; text: string }>;
}

export class PartyService {
  readonly repo: PartyRepository;

  constructor(private readonly db: Db, private readonly evidence: EvidenceLog, private readonly clock: () => Date,
    private readonly onProposed: (p: PartyRow) => void = () => {}) {
    this.repo = new PartyRepository(db);
  }

  list(): PartyRow[] {
    return this.repo.list();
  }

  get(id: string): PartyDetail {
    const p = this.repo.find(id);
    if (!p) throw notFound('party', id);
    return { ...p, notes: this.repo.notes(id) };
  }

  /** Numbers in a party already: proposals group only the others. */
  groupedNumbers(): string[] {
    return this.repo.list().flatMap((p) => p.numbers);
  }

  /**
   * Runs the proposal rules over numbers in no party yet; stores each new grouping as `proposed`.
   * `computed`: proposals made elsewhere (off the event loop) from an earlier reading; one that names
   * a number grouped since is left for the next run.
   */
  propose(actor = 'tracer', computed?: Proposal[]): PartyRow[] {
    return this.tx(() => {
      const grouped = new Set(this.groupedNumbers());
      const proposals = computed ? computed.filter((g) => g.numbers.every((n) => !grouped.has(n))) : proposeGroupings(this.db, grouped);
      const made = proposals.map((g) => {
        const p: PartyRow = { id: newId('pty'), name: g.name, status: 'proposed', grounds: g.grounds, numbers: g.numbers, createdAt: this.now(), updatedAt: this.now() };
        this.repo.insert(p);
        this.log('party-proposed', p.id, actor, { numbers: p.numbers, grounds: p.grounds, name: p.name }, this.fact(p.id));
        return p;
      });
      for (const p of made) this.onProposed(p);
      return made;
    });
  }

  /** An investigator's own grouping: accepted from the start. */
  create(input: unknown, actor: string): PartyRow {
    const { name: n, numbers } = createPartyInput.parse(input);
    return this.tx(() => {
      const unique = [...new Set(numbers)];
      for (const num of unique) {
        const owner = this.repo.partyOfNumber(num);
        if (owner) throw new AppError('number-in-party', `${num} already belongs to party ${owner}: merge or split instead`, 400);
      }
      const p: PartyRow = { id: newId('pty'), name: n, status: 'accepted', grounds: [{ kind: 'investigator', value: actor, numbers: unique }], numbers: unique, createdAt: this.now(), updatedAt: this.now() };
      this.repo.insert(p);
      this.log('party-created', p.id, actor, { numbers: unique, name: n }, this.fact(p.id));
      return p;
    });
  }

  accept(id: string, actor: string): PartyRow {
    return this.tx(() => {
      const p = this.known(id);
      this.repo.update(id, this.now(), { status: 'accepted' });
      this.log('party-accepted', id, actor, { numbers: p.numbers, was: p.status }, this.fact(id));
      return this.repo.find(id)!;
    });
  }

  merge(into: string, input: unknown, actor: string): PartyRow {
    const { from } = mergeInput.parse(input);
    return this.tx(() => {
      const target = this.known(into);
      if (from.includes(into)) throw new AppError('party-merge-self', `party ${into} cannot be merged into itself`, 400);
      const sources = [...new Set(from)].map((id) => this.known(id));
      for (const s of sources) {
        this.repo.moveNumbers(s.numbers, into);
        this.repo.moveNotes(s.id, into);
        this.repo.delete(s.id);
      }
      const grounds = [...target.grounds, ...sources.flatMap((s) => s.grounds)];
      this.repo.update(into, this.now(), { status: 'accepted', grounds });
      this.log('party-merged', into, actor, { from: sources.map((s) => ({ id: s.id, name: s.name, numbers: s.numbers })) }, this.fact(into));
      // Each party merged away is bound as removed, so its row cannot quietly come back.
      for (const s of sources) this.log('party-merged-away', s.id, actor, { into }, { ...this.fact(s.id), removed: true });
      return this.repo.find(into)!;
    });
  }

  split(id: string, input: unknown, actor: string): { kept: PartyRow; split: PartyRow } {
    const { numbers, name: n } = splitInput.parse(input);
    return this.tx(() => {
      const p = this.known(id);
      const off = [...new Set(numbers)];
      const stranger = off.find((x) => !p.numbers.includes(x));
      if (stranger) throw new AppError('number-not-in-party', `${stranger} is not a number of party ${id}`, 400);
      if (off.length >= p.numbers.length) throw new AppError('party-split-last', `party ${id} would keep no number: split off fewer than all`, 400);
      const q: PartyRow = { id: newId('pty'), name: n, status: p.status, grounds: [{ kind: 'investigator', value: actor, numbers: off }], numbers: [], createdAt: this.now(), updatedAt: this.now() };
      this.repo.insert(q);
      this.repo.moveNumbers(off, q.id);
      this.repo.update(id, this.now(), {});
      this.log('party-split', id, actor, { numbers: off, into: q.id, name: n }, this.fact(id));
      this.log('party-split-off', q.id, actor, { from: id }, this.fact(q.id));
      return { kept: this.repo.find(id)!, split: this.repo.find(q.id)! };
    });
  }

  rename(id: string, input: unknown, actor: string): PartyRow {
    const { name: n } = renameInput.parse(input);
    return this.tx(() => {
      const p = this.known(id);
      this.repo.update(id, this.now(), { name: n });
      this.log('party-renamed', id, actor, { from: p.name, to: n }, this.fact(id));
      return this.repo.find(id)!;
    });
  }

  note(id: string, input: unknown, actor: string): PartyDetail {
    const { text } = noteInput.parse(input);
    return this.tx(() => {
      this.known(id);
      this.repo.addNote(id, { at: this.now(), actor, text });
      this.log('party-note', id, actor, { text }, this.fact(id));
      return this.get(id);
    });
  }

  /** What an investigator heard a caller say on a hit (matched against planting variants). */
  noteHit(hitId: string, input: unknown, actor: string): { hitId: string; text: string } {
    const { text } = noteInput.parse(input);
    return this.tx(() => {
      const exists = this.db.prepare('SELECT 1 FROM hits WHERE id = ?').get(hitId);
      if (!exists) throw new AppError('unknown-hit', `hit ${JSON.stringify(hitId)} does not exist`, 400);
      const noteId = this.repo.addHitNote(hitId, { at: this.now(), actor, text });
      this.log('hit-note', hitId, actor, { text }, { table: 'hit_notes', id: noteId });
      return { hitId, text };
    });
  }

  private known(id: string): PartyRow {
    const p = this.repo.find(id);
    if (!p) throw new AppError('unknown-party', `party ${JSON.stringify(id)} does not exist`, 400);
    return p;
  }

  /** Every act binds the party as it now stands, its numbers and notes included (src/evidence/facts.ts). */
  private fact(id: string) {
    return { table: 'parties', id } as const;
  }

  private log(kind: string, subject: string, actor: string, payload: Record<string, unknown>, fact: FactRef): void {
    this.evidence.append(this.now(), kind, subject, { actor, ...payload }, fact);
  }

  private now(): string {
    return this.clock().toISOString();
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
