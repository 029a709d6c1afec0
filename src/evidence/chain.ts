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
}

export const toEntry = (r: EvidenceRow): EvidenceEntry => ({
  seq: r.seq, at: r.at, kind: r.kind, subject: r.subject, payload: JSON.parse(r.payload), prevHash: r.prev_hash, hash: r.hash,
  fact: r.fact_table && r.fact_id && r.fact_hash ? { table: r.fact_table, id: r.fact_id, hash: r.fact_hash } : null,
});

/** An entry's hash: the previous hash and everything in the entry, the bound fact's hash included. */
export function entryHash(r: Pick<EvidenceRow, 'prev_hash' | 'at' | 'kind' | 'subject' | 'payload' | 'fact_table' | 'fact_id' | 'fact_hash'>): string {
  // Entries without a fact keep the original form, so logs written before binding still verify.
  const fields = r.fact_table === null
    ? [r.prev_hash, r.at, r.kind, r.subject, r.payload]
    : [r.prev_hash, r.at, r.kind, r.subject, r.payload, r.fact_table, r.fact_id, r.fact_hash];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

