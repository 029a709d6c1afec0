import type { Migration } from '../migrate.ts';

/** Keyset pages walk these indexes instead of sorting the table for every page. */
export const listPaging: Migration = {
  id: '20261210100000-list-paging',
  up(db) {
    db.exec(`
      CREATE INDEX IF NOT EXISTS hits_received ON hits(received_at, id);
      CREATE INDEX IF NOT EXISTS canaries_created ON canaries(created_at, id);
      CREATE INDEX IF NOT EXISTS plantings_created ON plantings(created_at, id);
      CREATE INDEX IF NOT EXISTS numbers_created ON canary_numbers(created_at, id);
    `);
  },
};
