import type { Migration } from '../migrate.ts';

// Campaigns that plant into shifts (src/campaigns/shift-timing.ts): a canary whose first exposure is
// due when its shift comes on duty is created then, not now — its number is taken and its tickets
// written at that time. `later` holds the canary's further exposures ([{channelId, dueAt}]), scheduled
// as ordinary scheduled_plantings once the canary exists.
// Party proposals run as one debounced outbox job: the index finds the pending one per hit batch.
export const shiftCampaigns: Migration = {
  id: '20261218100000-shift-campaigns',
  up(db) {
    db.exec(`
      CREATE TABLE scheduled_canaries (
        id INTEGER PRIMARY KEY,
        campaign_id TEXT NOT NULL REFERENCES campaigns(id),
        channel_ids TEXT NOT NULL,
        later TEXT NOT NULL DEFAULT '[]',
        due_at TEXT NOT NULL,
        done_at TEXT,
        canary_id TEXT REFERENCES canaries(id),
        outcome TEXT
      );
      CREATE INDEX scheduled_canaries_campaign ON scheduled_canaries(campaign_id);
      CREATE INDEX outbox_pending_kind ON outbox(kind) WHERE done_at IS NULL;
    `);
  },
};
