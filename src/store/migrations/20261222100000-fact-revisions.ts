import type { Migration } from '../migrate.ts';

/**
 * A revision per fact table the report keeps folded, moved by SQLite itself in the writing
 * transaction, whoever writes (the tracer, a restore, another tool): the report asks one small
 * table whether anything changed instead of counting a million hits. Hits are immutable facts:
 * appending one moves nothing (the greatest rowid says it), while deleting one, editing a column the
 * report folds, or inserting below the greatest rowid moves the revision, and the report folds every
 * hit again. A caller name filled in later (a lookup) moves nothing: names are read as hits arrive.
 * Plantings, numbers and canaries move it on every write.
 */
export const factRevisions: Migration = {
  id: '20261222100000-fact-revisions',
  up(db) {
    const bump = (name: string) => `BEGIN UPDATE fact_revisions SET revision = revision + 1 WHERE name = '${name}'; END`;
    db.exec(`
      CREATE TABLE IF NOT EXISTS fact_revisions (name TEXT PRIMARY KEY, revision INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
      INSERT OR IGNORE INTO fact_revisions (name) VALUES ('hits'), ('plantings'), ('canary_numbers'), ('canaries');
      CREATE TRIGGER IF NOT EXISTS fact_revision_hits_delete AFTER DELETE ON hits ${bump('hits')};
      CREATE TRIGGER IF NOT EXISTS fact_revision_hits_update
        AFTER UPDATE OF id, kind, from_number, to_number, received_at, number_id, canary_id, classification, body, raw ON hits ${bump('hits')};
      CREATE TRIGGER IF NOT EXISTS fact_revision_hits_insert AFTER INSERT ON hits
        WHEN new.rowid < (SELECT max(rowid) FROM hits) ${bump('hits')};
    `);
    for (const table of ['plantings', 'canary_numbers', 'canaries']) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(`CREATE TRIGGER IF NOT EXISTS fact_revision_${table}_${op.toLowerCase()} AFTER ${op} ON ${table} ${bump(table)}`);
      }
    }
  },
};
