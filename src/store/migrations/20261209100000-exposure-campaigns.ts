import type { Migration } from '../migrate.ts';

// Exposure as facts. A planting's `exposed_at` is when anything of it first reached its target —
// the target write, even when the planting is later rolled back or still awaits confirmation (a drop
// file can leak before the import), or the time staff give when they confirm an intake call. A
// canary rolled back after a write is kept (its plantings withdrawn) so a later call to its number
// is still judged as evidence against the channel that saw it.
// Campaigns: one question, one design, its canaries and their plantings.
export const exposureCampaigns: Migration = {
  id: '20261209100000-exposure-campaigns',
  up(db) {
    db.exec(`
      ALTER TABLE plantings ADD COLUMN exposed_at TEXT;
      -- An import file was written when the planting was prepared; an intake call reaches no one until it is made.
      UPDATE plantings SET exposed_at = coalesce(planted_at, CASE WHEN status = 'awaiting-confirmation'
        AND json_extract(details, '$.intakeLine') IS NULL THEN created_at END);
      CREATE INDEX plantings_exposed ON plantings(canary_id) WHERE exposed_at IS NOT NULL;

      CREATE TABLE campaigns (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        question TEXT NOT NULL DEFAULT '',
        design TEXT NOT NULL CHECK (design IN ('dedicated','split','staggered','adaptive')),
        status TEXT NOT NULL CHECK (status IN ('planting','running','decided','closed')),
        channel_ids TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        plan TEXT NOT NULL DEFAULT '{}',
        locale TEXT NOT NULL,
        created_at TEXT NOT NULL,
        decided_at TEXT
      );
      ALTER TABLE canaries ADD COLUMN campaign_id TEXT REFERENCES campaigns(id);
      CREATE INDEX canaries_campaign ON canaries(campaign_id) WHERE campaign_id IS NOT NULL;

      -- Plantings a staggered design makes later: each is planted when due, by the outbox.
      CREATE TABLE scheduled_plantings (
        id INTEGER PRIMARY KEY,
        campaign_id TEXT NOT NULL REFERENCES campaigns(id),
        canary_id TEXT NOT NULL REFERENCES canaries(id),
        channel_id TEXT NOT NULL REFERENCES channels(id),
        due_at TEXT NOT NULL,
        done_at TEXT,
        outcome TEXT,
        UNIQUE (canary_id, channel_id)
      );
      CREATE INDEX scheduled_plantings_due ON scheduled_plantings(due_at) WHERE done_at IS NULL;
    `);
  },
};
