import type { Migration } from '../migrate.ts';

// Outside parties: caller numbers grouped as one caller, proposed by the tracer with their grounds,
// accepted, merged, split, renamed and annotated by investigators (each act in the evidence log).
// A number belongs to at most one party. Hit notes hold what an investigator heard the caller say.
export const parties: Migration = {
  id: '20261216100000-parties',
  up(db) {
    db.exec(`
      CREATE TABLE parties (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('proposed','accepted')),
        grounds TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE party_numbers (
        phone_number TEXT PRIMARY KEY,
        party_id TEXT NOT NULL REFERENCES parties(id)
      );
      CREATE INDEX party_numbers_party ON party_numbers(party_id);
      CREATE TABLE party_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        party_id TEXT NOT NULL REFERENCES parties(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        text TEXT NOT NULL
      );
      CREATE TABLE hit_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        hit_id TEXT NOT NULL REFERENCES hits(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX hit_notes_hit ON hit_notes(hit_id);
      -- A party's calls and SMS, first and last contact, read per party by the report and its page.
      CREATE INDEX hits_from ON hits(from_number, received_at);
    `);
  },
};
