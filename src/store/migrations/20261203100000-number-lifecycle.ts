import type { Migration } from '../migrate.ts';

// Canary numbers on a real provider: what was bought (type, label), why a number left service,
// a release that failed (kept, never forgotten), a number gone from the account, and how far
// calls and messages were backfilled. Caller look-ups are cached per caller number and counted
// per UTC day against the budget; a hit keeps what the look-up said about its caller.
export const numberLifecycle: Migration = {
  id: '20261203100000-number-lifecycle',
  up(db) {
    db.exec(`
      ALTER TABLE canary_numbers ADD COLUMN number_type TEXT;
      ALTER TABLE canary_numbers ADD COLUMN friendly_name TEXT;
      ALTER TABLE canary_numbers ADD COLUMN ready_at TEXT;
      ALTER TABLE canary_numbers ADD COLUMN retired_reason TEXT;
      ALTER TABLE canary_numbers ADD COLUMN release_error TEXT;
      ALTER TABLE canary_numbers ADD COLUMN release_attempted_at TEXT;
      ALTER TABLE canary_numbers ADD COLUMN missing_since TEXT;
      ALTER TABLE canary_numbers ADD COLUMN backfilled_until TEXT;
      CREATE INDEX canary_numbers_status ON canary_numbers(status, country);
      CREATE UNIQUE INDEX canary_numbers_sid ON canary_numbers(provider_sid) WHERE provider_sid IS NOT NULL;

      -- What the caller look-up said (line type, carrier, caller type), or why there was none.
      ALTER TABLE hits ADD COLUMN caller_info TEXT;

      CREATE TABLE caller_lookups (
        phone_number TEXT PRIMARY KEY,
        caller_name TEXT,
        caller_type TEXT,
        line_type TEXT,
        carrier_name TEXT,
        raw TEXT NOT NULL,
        looked_up_at TEXT NOT NULL
      );

      CREATE TABLE lookup_spend (
        day TEXT PRIMARY KEY,
        lookups INTEGER NOT NULL DEFAULT 0
      );
    `);
  },
};
