import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import fs from 'node:fs';
import { openTracerDb, type Db } from '../../src/store/db.ts';
import { Outbox, retryDelayMs } from '../../src/outbox/outbox.ts';
import { createLogger } from '../../src/log.ts';
import { tempDir } from '../support/app.ts';

describe('outbox', () => {
  let dir: string;
  let db: Db | undefined;
  afterEach(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = (now: () => Date) => {
    db = openTracerDb(path.join(dir, 'tracer.db'));
    return new Outbox(db, now, createLogger('silent'));
  };

  it('when the process restarts with jobs queued, then the next drain runs them', async () => {
    dir = tempDir();
    const now = () => new Date('2026-11-28T10:00:00Z');
    const first = open(now);
    first.enqueue('note', { n: 1 }, now().toISOString());
    first.enqueue('note', { n: 2 }, now().toISOString());
    db!.close();
    const second = open(now);
    const seen: number[] = [];
    second.register('note', async (p: { n: number }) => {
      seen.push(p.n);
    });
    expect(await second.drain()).toBe(2);
    expect(seen).toEqual([1, 2]);
    expect(second.pending()).toBe(0);
  });

  it('when a job fails, then it is retried later with backoff and its writes are not applied', async () => {
    dir = tempDir();
    let t = Date.parse('2026-11-28T10:00:00Z');
    const outbox = open(() => new Date(t));
    db!.exec('CREATE TABLE side (v TEXT)');
    let fail = true;
    outbox.register('flaky', async () => {
      if (fail) throw new Error('lookup service down');
      return () => db!.prepare("INSERT INTO side VALUES ('written')").run();
    });
    outbox.enqueue('flaky', {}, new Date(t).toISOString());
    expect(await outbox.drain()).toBe(0);
    const row = db!.prepare('SELECT attempts, last_error, available_at FROM outbox').get() as { attempts: number; last_error: string; available_at: string };
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBe('lookup service down');
    expect(Date.parse(row.available_at)).toBeGreaterThan(t);
    fail = false;
    expect(await outbox.drain()).toBe(0); // not due yet
    t += 60_000;
    expect(await outbox.drain()).toBe(1);
    expect(db!.prepare('SELECT count(*) FROM side').pluck().get()).toBe(1);
  });

  it('when a job kind has no handler, then it is kept and reported, never dropped', async () => {
    dir = tempDir();
    const outbox = open(() => new Date('2026-11-28T10:00:00Z'));
    outbox.enqueue('mystery', {}, '2026-11-28T10:00:00.000Z');
    await outbox.drain();
    expect(outbox.pending()).toBe(1);
    expect(db!.prepare('SELECT last_error FROM outbox').pluck().get()).toMatch(/no handler/);
  });
  it('when one job\'s write throws, then the other jobs of the batch are still done and only that one is retried', async () => {
    dir = tempDir();
    const t = Date.parse('2026-11-28T10:00:00Z');
    const outbox = open(() => new Date(t));
    db!.exec('CREATE TABLE side (v TEXT)');
    outbox.register('good', async (p: { v: string }) => () => db!.prepare('INSERT INTO side VALUES (?)').run(p.v));
    outbox.register('bad', async () => () => {
      db!.prepare("INSERT INTO side VALUES ('half-written')").run();
      throw new Error('constraint failed');
    });
    outbox.enqueue('good', { v: 'a' }, new Date(t).toISOString());
    outbox.enqueue('bad', {}, new Date(t).toISOString());
    outbox.enqueue('good', { v: 'b' }, new Date(t).toISOString());

    expect(await outbox.drain()).toBe(2);

    expect(db!.prepare('SELECT v FROM side ORDER BY v').pluck().all()).toEqual(['a', 'b']);
    const bad = db!.prepare("SELECT attempts, last_error, done_at FROM outbox WHERE kind = 'bad'").get();
    expect(bad).toEqual({ attempts: 1, last_error: 'write failed: constraint failed', done_at: null });
  });

  it('when retries are spaced, then each delay grows with the attempt, stays under the cap and is jittered', () => {
    expect([1, 2, 3].map((a) => retryDelayMs(a, 1000, 300_000, () => 0))).toEqual([1000, 2000, 4000]);
    expect([1, 2, 3].map((a) => retryDelayMs(a, 1000, 300_000, () => 1))).toEqual([2000, 4000, 8000]);
    expect(retryDelayMs(30, 1000, 300_000, () => 1)).toBe(300_000);
  });
});
