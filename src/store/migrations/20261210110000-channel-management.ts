import type { Migration } from '../migrate.ts';

/** Channels gain flows to downstream channels (`feeds`) and can be archived: kept, but planted into no more. */
export const channelManagement: Migration = {
  id: '20261210110000-channel-management',
  up(db) {
    db.exec(`
      ALTER TABLE channels ADD COLUMN feeds TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE channels ADD COLUMN archived_at TEXT;
    `);
  },
};
