import type { Migration } from '../migrate.ts';

// Plantings gain the states real targets need: a CSV import or an intake call waits for staff to
// confirm it ('awaiting-confirmation'); reconcile settles what a crash left ('not-planted', or
// 'needs-review' when the target cannot be searched). `details` holds what the connector wrote
// (rows and keys, request body, CSV cells) so withdraw and verify touch exactly that and nothing else.
// SQLite cannot alter a CHECK constraint, so the table is rebuilt; nothing references plantings,
// so the rebuild is safe with foreign keys on (the runner wraps this in one transaction).
export const plantingLifecycle: Migration = {
  id: '20261202100000-planting-lifecycle',
  up(db) {
    db.exec(`
      CREATE TABLE plantings_new (
        id TEXT PRIMARY KEY,
        canary_id TEXT NOT NULL REFERENCES canaries(id),
        channel_id TEXT NOT NULL REFERENCES channels(id),
        target TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN
          ('pending','awaiting-confirmation','planted','withdrawn','not-planted','needs-review')),
        variant TEXT NOT NULL,
        external_ref TEXT,
        planted_at TEXT,
        withdrawn_at TEXT,
        created_at TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}',
        verify_state TEXT,
        verified_at TEXT,
        UNIQUE (canary_id, channel_id)
      );
      INSERT INTO plantings_new (id, canary_id, channel_id, target, status, variant, external_ref, planted_at,
          withdrawn_at, created_at)
        SELECT id, canary_id, channel_id, target, status, variant, external_ref, planted_at, withdrawn_at, created_at
        FROM plantings;
      DROP TABLE plantings;
      ALTER TABLE plantings_new RENAME TO plantings;
      CREATE INDEX plantings_channel ON plantings(channel_id);
      CREATE INDEX plantings_open ON plantings(status) WHERE status IN ('pending','awaiting-confirmation','needs-review');
    `);
    const broken = db.prepare('PRAGMA foreign_key_check(plantings)').all();
    if (broken.length > 0) throw new Error(`plantings rebuild left ${broken.length} dangling reference(s)`);
  },
};
