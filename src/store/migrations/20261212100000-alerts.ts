import type { Migration } from '../migrate.ts';

// Alerts: outputs registered by name (the secrets they carry never leave the store), one
// notification per alert an output is owed (an immediate one, or a digest collecting the hits a
// throttle window merged), the hits each digest counts, the throttle windows per (output, key),
// and every delivery attempt with its status, latency and error. History is never capped.
export const alerts: Migration = {
  id: '20261212100000-alerts',
  up(db) {
    db.exec(`
      CREATE TABLE alert_outputs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        url TEXT,
        recipient TEXT,
        language TEXT NOT NULL DEFAULT 'en',
        secret TEXT,
        min_severity TEXT NOT NULL,
        events TEXT,
        throttle_minutes REAL,
        enabled INTEGER NOT NULL DEFAULT 1,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        disabled_at TEXT,
        disabled_reason TEXT,
        created_at TEXT NOT NULL
      );

      CREATE TABLE alert_notifications (
        id TEXT PRIMARY KEY,
        output_id TEXT NOT NULL,
        event_kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        is_digest INTEGER NOT NULL DEFAULT 0,
        throttle_key TEXT,
        alert TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        sent_at TEXT,
        last_error TEXT
      );
      CREATE INDEX alert_notifications_output ON alert_notifications(output_id, status);

      CREATE TABLE alert_digest_hits (
        notification_id TEXT NOT NULL,
        hit_id TEXT NOT NULL,
        caller_number TEXT NOT NULL,
        caller_name TEXT,
        PRIMARY KEY (notification_id, hit_id)
      );

      CREATE TABLE alert_throttle (
        output_id TEXT NOT NULL,
        throttle_key TEXT NOT NULL,
        window_ends_at TEXT NOT NULL,
        digest_id TEXT,
        PRIMARY KEY (output_id, throttle_key)
      );

      CREATE TABLE alert_deliveries (
        id INTEGER PRIMARY KEY,
        notification_id TEXT,
        output_id TEXT NOT NULL,
        attempted_at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        http_status INTEGER,
        latency_ms INTEGER NOT NULL,
        error TEXT,
        answer TEXT,
        is_test INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX alert_deliveries_output ON alert_deliveries(output_id, id);
    `);
  },
};
