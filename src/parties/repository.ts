// The parties tables' only owner (migration 20261216100000-parties). Parameterized SQL only.
import type { Db } from '../store/db.ts';

export type PartyStatus = 'proposed' | 'accepted';

export interface Ground {
  kind: 'caller-name' | 'sms-url' | 'sms-phone' | 'sms-email' | 'carrier-block' | 'co-ringing' | 'investigator';
  /** What the numbers share (a normalised name, a domain, a number block); data, never markup. */
  value: string;
  numbers: string[];
}

export interface PartyRow {
  id: string;
  name: string;
  status: PartyStatus;
  grounds: Ground[];
  numbers: string[];
  createdAt: string;
  updatedAt: string;
}

export interface PartyNote {
  at: string;
  actor: string;
  text: string;
}

interface Row { id: string; name: string; status: PartyStatus; grounds: string; created_at: string; updated_at: string }

export class PartyRepository {
  constructor(private readonly db: Db) {}

  list(): PartyRow[] {
    const rows = this.db.prepare('SELECT * FROM parties ORDER BY created_at, id').all() as Row[];
    const nums = this.numbersByParty();
    return rows.map((r) => this.toParty(r, nums.get(r.id) ?? []));
  }

  find(id: string): PartyRow | undefined {
    const r = this.db.prepare('SELECT * FROM parties WHERE id = ?').get(id) as Row | undefined;
    return r && this.toParty(r, this.db.prepare('SELECT phone_number FROM party_numbers WHERE party_id = ? ORDER BY phone_number').pluck().all(id) as string[]);
  }

  partyOfNumber(phone: string): string | undefined {
    return this.db.prepare('SELECT party_id FROM party_numbers WHERE phone_number = ?').pluck().get(phone) as string | undefined;
  }

  insert(p: Omit<PartyRow, 'updatedAt'>): void {
    this.db.prepare('INSERT INTO parties (id, name, status, grounds, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(p.id, p.name, p.status, JSON.stringify(p.grounds), p.createdAt, p.createdAt);
    const add = this.db.prepare('INSERT INTO party_numbers (phone_number, party_id) VALUES (?, ?)');
    for (const n of p.numbers) add.run(n, p.id);
  }

  update(id: string, at: string, change: { name?: string; status?: PartyStatus; grounds?: Ground[] }): void {
    this.db.prepare(`UPDATE parties SET name = coalesce(@name, name), status = coalesce(@status, status),
        grounds = coalesce(@grounds, grounds), updated_at = @at WHERE id = @id`)
      .run({ id, at, name: change.name ?? null, status: change.status ?? null, grounds: change.grounds ? JSON.stringify(change.grounds) : null });
  }

  moveNumbers(numbers: string[], to: string): void {
    const move = this.db.prepare('UPDATE party_numbers SET party_id = ? WHERE phone_number = ?');
    for (const n of numbers) move.run(to, n);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM party_numbers WHERE party_id = ?').run(id);
    this.db.prepare('DELETE FROM parties WHERE id = ?').run(id);
  }

  moveNotes(from: string, to: string): void {
    this.db.prepare('UPDATE party_notes SET party_id = ? WHERE party_id = ?').run(to, from);
  }

  addNote(partyId: string, n: PartyNote): void {
    this.db.prepare('INSERT INTO party_notes (party_id, at, actor, text) VALUES (?, ?, ?, ?)').run(partyId, n.at, n.actor, n.text);
  }

  notes(partyId: string): PartyNote[] {
    return this.db.prepare('SELECT at, actor, text FROM party_notes WHERE party_id = ? ORDER BY id').all(partyId) as PartyNote[];
  }

  /** Returns the note's id (its evidence entry binds it). */
  addHitNote(hitId: string, n: PartyNote): number {
    return Number(this.db.prepare('INSERT INTO hit_notes (hit_id, at, actor, text) VALUES (?, ?, ?, ?)').run(hitId, n.at, n.actor, n.text).lastInsertRowid);
  }

  /** Accepted parties' numbers: what the decoder reads as one caller. */
  acceptedNumbers(): Map<string, string> {
    return acceptedPartyOf(this.db);
  }

  private numbersByParty(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [n, p] of this.db.prepare('SELECT phone_number, party_id FROM party_numbers ORDER BY phone_number').raw().all() as Array<[string, string]>) {
      out.set(p, [...(out.get(p) ?? []), n]);
    }
    return out;
  }

  private toParty(r: Row, numbers: string[]): PartyRow {
    return { id: r.id, name: r.name, status: r.status, grounds: JSON.parse(r.grounds), numbers, createdAt: r.created_at, updatedAt: r.updated_at };
  }
}

/** Caller number → its accepted party's id; empty on a store from before parties existed. */
export function acceptedPartyOf(db: Db): Map<string, string> {
  const has = (db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'party_numbers'`).pluck().get() as number) > 0;
  if (!has) return new Map();
  return new Map(db.prepare(
    `SELECT n.phone_number, n.party_id FROM party_numbers n JOIN parties p ON p.id = n.party_id WHERE p.status = 'accepted'`,
  ).raw().all() as Array<[string, string]>);
}
