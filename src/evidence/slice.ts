import type { Db } from '../store/db.ts';
import { bodyDigest } from './chain.ts';
import { GENESIS_HASH } from './log.ts';

// Read-only views of the evidence log for cases and bundles. Nothing here writes the log.

export interface RawEntry {
  seq: number; at: string; kind: string; subject: string; payload: string; prev_hash: string; hash: string;
  /** Present once entries bind fact rows (the evidence-binding migration); null on entries that bind none. */
  fact_table?: string | null; fact_id?: string | null; fact_hash?: string | null;
  /** Present on second-form entries (src/evidence/chain.ts). */
  salt?: string | null;
}

/**
 * One line of a bundle's log slice:
 *  - an entry in full (payload as stored, and its salt, so its hash recomputes);
 *  - a second-form entry withheld: its seq and its body's digest only, from which the recipient
 *    recomputes its hash (src/evidence/chain.ts chainHash) without learning what it says;
 *  - a run of first-form entries withheld: only the hash before and after it (their hashes cover
 *    their fields directly, so nothing short of the entries would let anyone recompute them).
 */
export type SliceLine =
  | { seq: number; at: string; kind: string; subject: string; payload: string; prevHash: string; hash: string; fact?: { table: string; id: string; hash: string }; salt?: string }
  | { withheld: { seq: number; bodySha256: string }; prevHash: string; hash: string }
  | { withheld: { fromSeq: number; toSeq: number }; prevHash: string; hash: string };

export function logHead(db: Db): { seq: number; hash: string } {
  const r = db.prepare('SELECT seq, hash FROM evidence_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  return r ?? { seq: 0, hash: GENESIS_HASH };
}

/** Entries about one subject (a case's acts), oldest first. */
export function entriesAbout(db: Db, subject: string, kindPrefix: string): Array<{ seq: number; at: string; kind: string; payload: unknown }> {
  return (db.prepare('SELECT seq, at, kind, payload FROM evidence_log WHERE subject = ? AND kind LIKE ? ORDER BY seq').all(subject, `${kindPrefix}%`) as RawEntry[])
    .map((r) => ({ seq: r.seq, at: r.at, kind: r.kind, payload: JSON.parse(r.payload) }));
}

/**
 * The log from its start to `upToSeq`: entries about `subjects` in full; every other second-form
 * entry as its body digest (checkable, not readable), and runs of other first-form entries folded
 * into withheld runs that keep only the hash before and after them — so the chain can be followed
 * from the genesis to the head without revealing other cases' canaries. With `full`, every entry
 * in full. Paged by seq, so the connection is never held busy across an await.
 */
export async function writeLogSlice(db: Db, o: { subjects: Set<string>; upToSeq: number; full?: boolean }, write: (line: SliceLine) => Promise<void>): Promise<number> {
  const page = db.prepare('SELECT * FROM evidence_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT 5000');
  let run: { fromSeq: number; toSeq: number; prevHash: string; hash: string } | null = null;
  const flush = async () => {
    if (run) await write({ withheld: { fromSeq: run.fromSeq, toSeq: run.toSeq }, prevHash: run.prevHash, hash: run.hash });
    run = null;
  };
  let shown = 0;
  for (let after = 0; ;) {
    const rows = page.all(after, o.upToSeq) as RawEntry[];
    if (rows.length === 0) break;
    for (const r of rows) {
      if (o.full || o.subjects.has(r.subject)) {
        await flush();
        const fact = r.fact_table ? { fact: { table: r.fact_table, id: r.fact_id!, hash: r.fact_hash! } } : {};
        await write({ seq: r.seq, at: r.at, kind: r.kind, subject: r.subject, payload: r.payload, prevHash: r.prev_hash, hash: r.hash, ...fact, ...(r.salt ? { salt: r.salt } : {}) });
        shown++;
      } else if (r.salt) {
        await flush();
        const digest = bodyDigest({ at: r.at, kind: r.kind, subject: r.subject, payload: r.payload, fact_table: r.fact_table ?? null, fact_id: r.fact_id ?? null, fact_hash: r.fact_hash ?? null, salt: r.salt });
        await write({ withheld: { seq: r.seq, bodySha256: digest }, prevHash: r.prev_hash, hash: r.hash });
      } else if (run) {
        run.toSeq = r.seq;
        run.hash = r.hash;
      } else {
        run = { fromSeq: r.seq, toSeq: r.seq, prevHash: r.prev_hash, hash: r.hash };
      }
    }
    after = rows[rows.length - 1]!.seq;
  }
  await flush();
  return shown;
}
