import type { Migration } from '../migrate.ts';

// What the tracer learned of each target's real rows (shapes and distributions, never a value):
// one row per target, replaced on each learn; its hash also goes into the evidence log.
export const targetProfiles: Migration = {
  id: '20261213100000-target-profiles',
  up(db) {
    db.exec(`
      CREATE TABLE target_profiles (
        target TEXT PRIMARY KEY,
        learned_at TEXT NOT NULL,
        schema_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        profile TEXT NOT NULL
      );
    `);
  },
};
