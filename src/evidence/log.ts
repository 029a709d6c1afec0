import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { entryHash, GENESIS_HASH, toEntry, type EvidenceEntry, type EvidenceRow } from './chain.ts';
import { FactReader, type FactRef } from './facts.ts';
import { verifyEvidence, type VerifyOptions, type VerifyReport } from './verify.ts';

export { GENESIS_HASH, type EvidenceEntry } from './chain.ts';

export interface EvidenceFilter {
  kind?: string;
  subject?: string;
  since?: string;
  afterSeq?: number;
  limit?: number;
}

export interface ChainState {
  ok: boolean;
  entries: number;
  headSeq: number;
  /** The chain is known good up to this entry (remembered; only newer entries are walked again). */
  verifiedUpTo: number;
  verifiedAt: string | null;
  brokenAt?: number;
}

/**
 * Appends to the hash-chained evidence log. Must run inside the caller's transaction so the entry
 * commits (or not) with the fact it records. A writer that records a fact row passes `fact`
 * ({table, id}, after writing the row): the log reads the row and binds its canonical form.
 */
export class EvidenceLog {
  private readonly lastStmt;
  private readonly insertStmt;
  private readonly facts: FactReader;

  constructor(private readonly db: Db) {
    this.lastStmt = db.prepare('SELECT hash FROM evidence_log ORDER BY seq DESC LIMIT 1').pluck();
    this.insertStmt = db.prepare(
      `INSERT INTO evidence_log (at, kind, subject, payload, prev_hash, hash, fact_table, fact_id, fact_hash, salt)
       VALUES (@at, @kind, @subject, @payload, @prev_hash, @hash, @fact_table, @fact_id, @fact_hash, @salt)`,
    );
    this.facts = new FactReader(db);
  }

  append(at: string, kind: string, subject: string, payload: unknown, fact?: FactRef): void {
    const row = {
      prev_hash: (this.lastStmt.get() as string | undefined) ?? GENESIS_HASH,
      at, kind, subject, payload: JSON.stringify(payload),
      fact_table: fact ? fact.table : null,
      fact_id: fact ? String(fact.id) : null,
      fact_hash: fact ? this.facts.hash(fact) : null,
      // Second hash form (src/evidence/chain.ts): a bundle can then withhold this entry and still let its chain be recomputed.
      salt: randomBytes(16).toString('hex'),
    };
    this.insertStmt.run({ ...row, hash: entryHash(row) });
  }

  /** Oldest first, filtered; page on with afterSeq = the last seq returned. */
  list(limitOrFilter: number | EvidenceFilter = 1000, afterSeq = 0): EvidenceEntry[] {
    const f: EvidenceFilter = typeof limitOrFilter === 'number' ? { limit: limitOrFilter, afterSeq } : limitOrFilter;
    const rows = this.db
      .prepare(
        `SELECT * FROM evidence_log
         WHERE seq > @afterSeq AND (@kind IS NULL OR kind = @kind) AND (@subject IS NULL OR subject = @subject)
           AND (@since IS NULL OR at >= @since)
         ORDER BY seq LIMIT @limit`,
      )
      .all({ afterSeq: f.afterSeq ?? 0, kind: f.kind ?? null, subject: f.subject ?? null, since: f.since ?? null, limit: f.limit ?? 1000 }) as EvidenceRow[];
    return rows.map(toEntry);
  }

  head(): { seq: number; hash: string } {
    const r = this.db.prepare('SELECT seq, hash FROM evidence_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    return r ?? { seq: 0, hash: GENESIS_HASH };
  }

  hashAt(seq: number): string | undefined {
    return this.db.prepare('SELECT hash FROM evidence_log WHERE seq = ?').pluck().get(seq) as string | undefined;
  }

  /**
   * The chain alone, incrementally: walks only the entries after the point remembered as verified
   * (whose hash must still be the one remembered), then remembers the new head. `full` walks all.
   */
  checkChain(now: string, o: { full?: boolean } = {}): ChainState {
    const known = this.db.prepare('SELECT seq, hash, verified_at FROM evidence_verified WHERE id = 1').get() as
      { seq: number; hash: string; verified_at: string } | undefined;
    const knownHolds = known !== undefined && this.hashAt(known.seq) === known.hash;
    const start = !o.full && known && knownHolds ? { seq: known.seq, hash: known.hash } : { seq: 0, hash: GENESIS_HASH };
    const walk = this.walk(start);
    const base = { entries: this.count(), headSeq: this.head().seq, verifiedAt: known?.verified_at ?? null };
    if (walk.brokenAt !== undefined) return { ok: false, ...base, verifiedUpTo: walk.last.seq, brokenAt: walk.brokenAt };
    // The entry once verified is gone or different: the log was cut back or re-chained.
    if (known && !knownHolds) return { ok: false, ...base, verifiedUpTo: Math.min(walk.last.seq, known.seq - 1), brokenAt: known.seq };
    if (!known || walk.last.seq !== known.seq) {
      this.db.prepare(
        `INSERT INTO evidence_verified (id, seq, hash, verified_at) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, verified_at = excluded.verified_at`,
      ).run(walk.last.seq, walk.last.hash, now);
      return { ok: true, ...base, verifiedUpTo: walk.last.seq, verifiedAt: now };
    }
    return { ok: true, ...base, verifiedUpTo: walk.last.seq };
  }

  /** Full verification: the chain, every fact re-derived from its table, and the checkpoints given. */
  verify(o: VerifyOptions = {}): VerifyReport {
    return verifyEvidence(this.db, o);
  }

  private walk(from: { seq: number; hash: string }): { last: { seq: number; hash: string }; brokenAt?: number } {
    let last = from;
    for (const r of this.db.prepare('SELECT * FROM evidence_log WHERE seq > ? ORDER BY seq').iterate(from.seq) as IterableIterator<EvidenceRow>) {
      if (r.prev_hash !== last.hash || entryHash(r) !== r.hash) return { last, brokenAt: r.seq };
      last = { seq: r.seq, hash: r.hash };
    }
    return { last };
  }

  private count(): number {
    return this.db.prepare('SELECT count(*) FROM evidence_log').pluck().get() as number;
  }
}
