import type { Migration } from '../migrate.ts';

// Evidence entries written from now on carry a random salt and are hashed in the second form
// (src/evidence/chain.ts): the hash covers the previous hash and the SHA-256 of the entry's body,
// so a case's bundle can withhold other cases' entries and its recipient can still recompute the
// chain across them. Entries written before keep their first-form hash (salt NULL) and still verify.
export const evidenceSalt: Migration = {
  id: '20261217100000-evidence-salt',
  up(db) {
    db.exec('ALTER TABLE evidence_log ADD COLUMN salt TEXT');
  },
};
