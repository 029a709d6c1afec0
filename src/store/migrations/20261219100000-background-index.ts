import type { Migration } from '../migrate.ts';

/**
 * The background rate counts the calls each control and burn-in number got in its span: with kind in
 * the index that is a range seek per number, and no hit row is read.
 */
export const backgroundIndex: Migration = {
  id: '20261219100000-background-index',
  up(db) {
    db.exec(`CREATE INDEX IF NOT EXISTS hits_to_kind ON hits(to_number, kind, received_at)`);
  },
};
