import type { Migration } from '../migrate.ts';

// Evidence entries bind the fact rows they record: the fact's table, key and the SHA-256 of its
// canonical form (src/evidence/facts.ts), all covered by the entry's hash. Entries written before
// keep their old hash; verify re-derives their facts from the payload they carried.
// evidence_verified remembers how far the chain was last verified (an incremental check).
export const evidenceBinding: Migration = {
  id: '20261211110000-evidence-binding',
  up(db) {
    db.exec(`
      ALTER TABLE evidence_log ADD COLUMN fact_table TEXT;
      ALTER TABLE evidence_log ADD COLUMN fact_id TEXT;
      ALTER TABLE evidence_log ADD COLUMN fact_hash TEXT;
      CREATE INDEX evidence_log_fact ON evidence_log(fact_table, fact_id, seq) WHERE fact_table IS NOT NULL;
      CREATE INDEX evidence_log_subject ON evidence_log(subject, seq);
      CREATE INDEX evidence_log_kind ON evidence_log(kind, seq);

      CREATE TABLE evidence_verified (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        verified_at TEXT NOT NULL
      );
    `);
  },
};
