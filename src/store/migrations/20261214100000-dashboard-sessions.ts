import type { Migration } from '../migrate.ts';
// The dashboard's sign-in. A session is a row, so sign-out and expiry end it on the server; the
// cookie carries only a random id, and the table keeps only its SHA-256 (a copied database holds
// no live session). The CSRF token belongs to the session. Dashboard users are the people an admin
// gave a password (scrypt, from node:crypto); everyone else signs in with an API token.
export const dashboardSessions: Migration = {
  id: '20261214100000-dashboard-sessions',
  up(db) {
    db.exec(`
      CREATE TABLE dashboard_users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin','seeder','investigator')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        disabled_at TEXT
      );
      CREATE TABLE dashboard_sessions (
        id_hash TEXT PRIMARY KEY,
        principal_id TEXT NOT NULL,
        principal_kind TEXT NOT NULL CHECK (principal_kind IN ('token','user')),
        role TEXT NOT NULL CHECK (role IN ('admin','seeder','investigator')),
        label TEXT NOT NULL DEFAULT '',
        csrf TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        ended_at TEXT
      );
      CREATE INDEX dashboard_sessions_principal ON dashboard_sessions(principal_id);
    `);
  },
};
