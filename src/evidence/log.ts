import { createHash } from 'node:crypto';
import type { Db } from '../store/db.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface EvidenceEntry {
  seq: number;
  at: string;
  kind: string;
  subject: string;
  payload: unknown;
  prevHash: string;
  hash: string;
}

interface EvidenceRow {
  seq: number;
  at: string;
  kind: string;
  subject: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: EvidenceRow): EvidenceEntry => ({
  seq: r.seq,
  at: r.at,
  kind: r.kind,
  subject: r.subject,
  payload: JSON.parse(r.payload),
  prevHash: r.prev_hash,
  hash: r.hash,
});

function entryHash(prevHash: string, at: string, kind: string, subject: string, payload: string): string {
  return createHash('sha256').update(JSON.stringify([prevHash, at, kind, subject, payload])).digest('hex');
}

/**
 * Appends to the hash-chained evidence log. Must run inside the caller's transaction so the entry
 * commits (or not) with the fact it records.
 */
export class EvidenceLog {
  private readonly lastStmt;
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.lastStmt = db.prepare('SELECT hash FROM evidence_log ORDER BY seq DESC LIMIT 1').pluck();
    this.insertStmt = db.prepare(
      'INSERT INTO evidence_log (at, kind, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  append(at: string, kind: string, subject: string, payload: unknown): void {
    const prev = (this.lastStmt.get() as string | undefined) ?? GENESIS_HASH;
    const body = JSON.stringify(payload);
    this.insertStmt.run(at, kind, subject, body, prev, entryHash(prev, at, kind, subject, body));
  }

  list(limit = 1000, afterSeq = 0): EvidenceEntry[] {
    return (
      this.db
        .prepare('SELECT * FROM evidence_log WHERE seq > ? ORDER BY seq LIMIT ?')
        .all(afterSeq, limit) as EvidenceRow[]
    ).map(toEntry);
  }

  /** Recomputes the chain; returns the first seq that does not verify, or null when intact. */
  verify(): { ok: true; entries: number } | { ok: false; brokenAt: number } {
    let prev = GENESIS_HASH;
    let n = 0;
    for (const r of this.db.prepare('SELECT * FROM evidence_log ORDER BY seq').iterate() as IterableIterator<EvidenceRow>) {
      if (r.prev_hash !== prev || entryHash(prev, r.at, r.kind, r.subject, r.payload) !== r.hash) {
        return { ok: false, brokenAt: r.seq };
      }
      prev = r.hash;
      n++;
    }
    return { ok: true, entries: n };
  }
}
