import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openTracerDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import { tempDir } from '../support/app.ts';

describe('the tracer store', () => {
  let dir: string;
  let db: Db | undefined;
  afterEach(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when opened, then it is in WAL mode with full sync, a busy timeout, foreign keys and every migration applied', () => {
    dir = tempDir();
    db = openTracerDb(path.join(dir, 'nested', 'tracer.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const applied = db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
    expect(applied).toEqual(migrations.map((m) => m.id).sort());
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const t of ['channels', 'canary_numbers', 'canaries', 'plantings', 'hits', 'security_events', 'evidence_log', 'api_tokens', 'outbox']) {
      expect(tables).toContain(t);
    }
  });

  it('when migrations run again, then nothing is re-applied and data survives', () => {
    dir = tempDir();
    const file = path.join(dir, 'tracer.db');
    db = openTracerDb(file);
    db.prepare("INSERT INTO channels (id, name, kind, target, created_at) VALUES ('ch_1', 'A', 'crm', 'utility-sample', 'now')").run();
    db.close();
    db = openTracerDb(file);
    expect(migrate(db)).toEqual([]);
    expect(db.prepare('SELECT name FROM channels').pluck().get()).toBe('A');
  });

  it('when a migration fails, then it leaves nothing half-applied', () => {
    dir = tempDir();
    db = openTracerDb(path.join(dir, 'tracer.db'));
    migrations.push({ id: '99999999999999-broken', up: (d) => d.exec('CREATE TABLE half (a); SELECT nonsense FROM nowhere;') });
    try {
      expect(() => migrate(db!)).toThrow(/nowhere/);
    } finally {
      migrations.pop();
    }
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM schema_migrations WHERE id = '99999999999999-broken'").pluck().get()).toBe(0);
  });
});
