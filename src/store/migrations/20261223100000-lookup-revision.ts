import type { Migration } from '../migrate.ts';

/**
 * A revision for the caller look-up cache, moved by SQLite on every write to it: the report shows a
 * caller's looked-up name for calls it folded before the look-up answered (the outbox asks seconds
 * after the hit is stored), without folding a million hits again. One write per caller looked up.
 */
export const lookupRevision: Migration = {
  id: '20261223100000-lookup-revision',
  up(db) {
    db.exec(`INSERT OR IGNORE INTO fact_revisions (name) VALUES ('caller_lookups')`);
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      db.exec(`CREATE TRIGGER IF NOT EXISTS fact_revision_caller_lookups_${op.toLowerCase()} AFTER ${op} ON caller_lookups
               BEGIN UPDATE fact_revisions SET revision = revision + 1 WHERE name = 'caller_lookups'; END`);
    }
  },
};
