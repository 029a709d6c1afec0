// A restart's first report should be a kept one: the server folds the stored hits on the report's
// thread once its start-up work is under way, without anyone asking (src/server.ts).
import path from 'node:path';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openTracerDb } from '../../src/store/db.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { addHits, fillCanaries } from '../../scripts/bench/report-world.ts';
import { AUTH_TOKEN, PUBLIC_BASE_URL, tempDir } from '../support/app.ts';

const WORLD = { channels: 10, canaries: 200, controls: 20 };

describe('the report is kept from start-up', () => {
  let running: RunningServer | undefined;
  let dir = '';
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = async (warmUpMs: number) => {
    const lines: Array<{ msg?: string; ms?: number }> = [];
    const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l)); done(); } });
    const config = loadConfig({
      TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL, PORT: '0', TRACER_DB: path.join(dir, 'tracer.db'), UTILITY_DB: path.join(dir, 'u.db'),
      UTILITY_SAMPLE_CUSTOMERS: '10', LOG_LEVEL: 'info', EVIDENCE_CHECKPOINT_MINUTES: '0',
    });
    running = await startServer({ config, logger: pino({ level: 'info' }, sink), reportWarmUpMs: warmUpMs });
    return lines;
  };
  const seedStore = () => {
    dir = tempDir('tracer-warm-up-');
    const db = openTracerDb(path.join(dir, 'tracer.db'));
    fillCanaries(db, WORLD);
    addHits(db, WORLD, 0, 3_000);
    db.close();
  };

  it('when a server starts on a store with hits, then its report thread folds them unasked, and the report it then serves equals a rebuilt one', async () => {
    seedStore();
    const lines = await start(0);
    for (let i = 0; i < 200 && !lines.some((l) => l.msg?.startsWith('report kept')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(lines.find((l) => l.msg?.startsWith('report kept'))).toMatchObject({ ms: expect.any(Number) });
    const { services } = running!.app;
    const kept = await services.reportThread!.report({ limit: 100 });
    const rebuilt = await services.reportThread!.report({ limit: 100 }, { rebuild: true });
    expect({ ...kept, generatedAt: null }).toEqual({ ...rebuilt, generatedAt: null });
    expect(kept.channels.filter((c) => c.verdict === 'leaking').map((c) => c.channelId)).toEqual(['ch_b0', 'ch_b1', 'ch_b2']);
  });

  it('when warm-up is turned off, then no report is computed until one is asked for', async () => {
    seedStore();
    const lines = await start(-1);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(lines.some((l) => l.msg?.startsWith('report kept'))).toBe(false);
  });
});
