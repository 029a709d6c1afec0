import type { Migration } from '../migrate.ts';

// Security events are aggregated: one row per (minute, source, path, reason) with a count, the
// first and last time, and one raw sample (capped) for the first few kinds of each minute. A flood
// of forgeries adds at most a bounded number of rows a minute instead of one 20 kB row each.
// The old one-row-per-forgery table is folded into the new shape.
export const securityEventsAggregated: Migration = {
  id: '20261211100000-security-events',
  up(db) {
    db.exec(`
      CREATE TABLE security_event_counts (
        id INTEGER PRIMARY KEY,
        minute TEXT NOT NULL,
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        path TEXT NOT NULL,
        reason TEXT NOT NULL,
        count INTEGER NOT NULL,
        first_at TEXT NOT NULL,
        last_at TEXT NOT NULL,
        sample TEXT,
        UNIQUE (minute, source, path, reason)
      );
      INSERT INTO security_event_counts (minute, kind, source, path, reason, count, first_at, last_at, sample)
        SELECT substr(at, 1, 16), kind, coalesce(remote_addr, ''), path,
               coalesce(json_extract(detail, '$.reason'), 'unknown'), count(*), min(at), max(at), min(substr(detail, 1, 2000))
        FROM security_events WHERE json_valid(detail)
        GROUP BY substr(at, 1, 16), coalesce(remote_addr, ''), path, coalesce(json_extract(detail, '$.reason'), 'unknown');
      DROP TABLE security_events;
      ALTER TABLE security_event_counts RENAME TO security_events;
    `);
  },
};
