import type { Migration } from '../migrate.ts';

// The verdict last published per channel, so a change is published once (src/attribution/verdict-watch.ts).
export const publishedVerdicts: Migration = {
  id: '20261209200000-published-verdicts',
  up(db) {
    db.exec(`
      CREATE TABLE published_verdicts (
        channel_id TEXT PRIMARY KEY,
        verdict TEXT NOT NULL,
        probability REAL,
        at TEXT NOT NULL
      );
    `);
  },
};
