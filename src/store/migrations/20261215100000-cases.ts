import type { Migration } from '../migrate.ts';

// Cases: an investigation, what it is about (links), what investigators wrote (notes), and the
// regulator-notice fields only a person can fill (`notice`, JSON). Every act on a case is also an
// evidence-log entry; these tables are what the case is now, the log is how it got there.
// A link's kind includes 'party' so parties need no migration when they arrive.
export const cases: Migration = {
  id: '20261215100000-cases',
  up(db) {
    db.exec(`
      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('open','reported','closed')),
        assignee TEXT,
        notice TEXT NOT NULL DEFAULT '{}',
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE case_links (
        case_id TEXT NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('channel','party','campaign','hit')),
        ref TEXT NOT NULL,
        linked_by TEXT NOT NULL,
        linked_at TEXT NOT NULL,
        PRIMARY KEY (case_id, kind, ref)
      );
      CREATE TABLE case_notes (
        id INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX case_notes_case ON case_notes(case_id, id);
    `);
  },
};
