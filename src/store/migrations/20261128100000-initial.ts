import type { Migration } from '../migrate.ts';

export const initial: Migration = {
  id: '20261128100000-initial',
  up(db) {
    db.exec(`
      CREATE TABLE channels (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        dimensions TEXT NOT NULL DEFAULT '{}',
        target TEXT NOT NULL,
        routing TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
      );

      CREATE TABLE canary_numbers (
        id TEXT PRIMARY KEY,
        phone_number TEXT NOT NULL UNIQUE,
        country TEXT NOT NULL,
        provider TEXT NOT NULL,
        provider_sid TEXT,
        status TEXT NOT NULL CHECK (status IN ('burn-in','ready','assigned','retired','released')),
        is_control INTEGER NOT NULL DEFAULT 0,
        burn_in_ends_at TEXT,
        assigned_at TEXT,
        retired_at TEXT,
        released_at TEXT,
        monthly_price REAL,
        currency TEXT,
        created_at TEXT NOT NULL
      );

      CREATE TABLE canaries (
        id TEXT PRIMARY KEY,
        number_id TEXT NOT NULL UNIQUE REFERENCES canary_numbers(id),
        locale TEXT NOT NULL,
        persona TEXT NOT NULL,
        ticket TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE plantings (
        id TEXT PRIMARY KEY,
        canary_id TEXT NOT NULL REFERENCES canaries(id),
        channel_id TEXT NOT NULL REFERENCES channels(id),
        target TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending','planted','withdrawn')),
        variant TEXT NOT NULL,
        external_ref TEXT,
        planted_at TEXT,
        withdrawn_at TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (canary_id, channel_id)
      );
      CREATE INDEX plantings_channel ON plantings(channel_id);

      -- One row per call or message. provider_sid (CallSid / MessageSid) is unique, so Twilio's
      -- retries store nothing new. raw holds every parameter Twilio sent, as sent.
      CREATE TABLE hits (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('call','sms')),
        provider_sid TEXT NOT NULL UNIQUE,
        from_number TEXT NOT NULL,
        to_number TEXT NOT NULL,
        caller_name TEXT,
        body TEXT,
        received_at TEXT NOT NULL,
        number_id TEXT REFERENCES canary_numbers(id),
        canary_id TEXT REFERENCES canaries(id),
        classification TEXT NOT NULL,
        call_status TEXT,
        duration_seconds INTEGER,
        raw TEXT NOT NULL
      );
      CREATE INDEX hits_canary ON hits(canary_id, received_at);
      CREATE INDEX hits_to ON hits(to_number, received_at);

      -- Status callbacks, raw, whatever order they arrive in; a call's hit is summarised from them.
      CREATE TABLE call_status_events (
        id INTEGER PRIMARY KEY,
        call_sid TEXT NOT NULL,
        call_status TEXT NOT NULL,
        sequence_number INTEGER,
        duration_seconds INTEGER,
        received_at TEXT NOT NULL,
        raw TEXT NOT NULL,
        UNIQUE (call_sid, call_status)
      );

      CREATE TABLE security_events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        path TEXT NOT NULL,
        remote_addr TEXT,
        detail TEXT NOT NULL
      );

      -- Append-only and hash-chained: each entry's hash covers the previous one's.
      CREATE TABLE evidence_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TRIGGER evidence_log_no_update BEFORE UPDATE ON evidence_log
        BEGIN SELECT RAISE(ABORT, 'evidence log is append-only'); END;
      CREATE TRIGGER evidence_log_no_delete BEFORE DELETE ON evidence_log
        BEGIN SELECT RAISE(ABORT, 'evidence log is append-only'); END;

      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin','seeder','investigator')),
        label TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
      );

      -- Who read which part of the canary registry, and when.
      CREATE TABLE registry_reads (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL
      );

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        available_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        done_at TEXT,
        last_error TEXT
      );
      CREATE INDEX outbox_pending ON outbox(available_at) WHERE done_at IS NULL;
    `);
  },
};
