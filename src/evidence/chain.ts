import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface EvidenceEntry {
  seq: number;
  at: string;
  kind: string;
  subject: string;
  payload: unknown;
  prevHash: string;
  hash: string;
  /** The fact row this entry binds (table, key, SHA-256 of its canonical form), when it binds one. */
  fact: { table: string; id: string; hash: string } | null;
}

export interface EvidenceRow {
  seq: number;
  at: string;
  kind: string;
  subject: string;
  payload: string;
  prev_hash: string;
  hash: string;
  fact_table: string | null;
  fact_id: string | null;
  fact_hash: string | null;
  /** Set on entries written in the second form (migration 20261217100000-evidence-salt); null or absent on older ones. */
  salt?: string | null;
}

export const toEntry = (r: EvidenceRow): EvidenceEntry => ({
  seq: r.seq, at: r.at, kind: r.kind, subject: r.subject, payload: JSON.parse(r.payload), prevHash: r.prev_hash, hash: r.hash,
  fact: r.fact_table && r.fact_id && r.fact_hash ? { table: r.fact_table, id: r.fact_id, hash: r.fact_hash } : null,
});

/**
 * An entry's hash: the previous hash and everything in the entry, the bound fact's hash included.
 * Two forms, told apart by the salt:
 *  - first form (no salt; every entry written before the salt migration): the hash is over the
 *    fields themselves, so only someone shown the whole entry can recompute it;
 *  - second form (a random salt per entry): the hash is over the previous hash and the SHA-256 of
 *    the entry's body (its fields and the salt). A bundle withholds another case's entry by giving
 *    only that digest: the recipient still recomputes the chain across it from the genesis, and the
 *    salt keeps a short body (a kind, an id, a time) from being guessed from its digest.
 */
export function entryHash(r: Pick<EvidenceRow, 'prev_hash' | 'at' | 'kind' | 'subject' | 'payload' | 'fact_table' | 'fact_id' | 'fact_hash' | 'salt'>): string {
  if (r.salt) return chainHash(r.prev_hash, bodyDigest(r));
  // Entries without a fact keep the original form, so logs written before binding still verify.
  const fields = r.fact_table === null
    ? [r.prev_hash, r.at, r.kind, r.subject, r.payload]
    : [r.prev_hash, r.at, r.kind, r.subject, r.payload, r.fact_table, r.fact_id, r.fact_hash];
  return sha256(JSON.stringify(fields));
}

/** Second form: the SHA-256 of an entry's body (what a bundle gives for an entry it withholds). */
export function bodyDigest(r: Pick<EvidenceRow, 'at' | 'kind' | 'subject' | 'payload' | 'fact_table' | 'fact_id' | 'fact_hash' | 'salt'>): string {
  return sha256(JSON.stringify([r.at, r.kind, r.subject, r.payload, r.fact_table ?? null, r.fact_id ?? null, r.fact_hash ?? null, r.salt]));
}

/** Second form: the entry's hash from the previous hash and its body's digest ("v2" keeps it apart from any first-form input). */
export const chainHash = (prevHash: string, bodySha256: string): string => sha256(JSON.stringify(['v2', prevHash, bodySha256]));

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
