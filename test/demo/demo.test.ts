import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { runDemo, type DemoResult } from '../../src/demo/demo.ts';
import { tempDir } from '../support/app.ts';

describe('the demo, end to end over real HTTP', () => {
  let result: DemoResult;
  let dir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = tempDir('tracer-demo-');
    result = await runDemo({ dataDir: path.join(dir, 'demo'), port: 0, authToken: 'demo-test-token-0123456789', print: (l) => lines.push(l), logLevel: 'silent' });
  }, 120_000);
  afterAll(async () => {
    await result?.running.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when the firm calls the canaries of one channel, then the report names that channel, who called and how soon', () => {
    const channels = result.report.channels;
    const leaking = channels.filter((c) => c.verdict === 'leaking');
    expect(leaking.map((c) => c.channelId)).toEqual([result.leakingChannelId]);
    const l = leaking[0]!;
    expect(l.canaries).toBe(3);
    expect(l.canariesCalled).toBe(3);
    expect(l.hits).toBe(5); // four calls and one SMS
    expect(l.firstContactMinutes).toBeGreaterThanOrEqual(7);
    expect(l.firstContactMinutes).toBeLessThan(8);
    expect(l.callers.map((c) => c.number).sort()).toEqual(['+966112345678', '+966555123456']);
    expect(channels.filter((c) => c.verdict === 'clean')).toHaveLength(2);
    expect(result.report.noise.noiseCallers).toEqual(['+966920000111']);
  });

  it('when it has run, then it printed the report and created the sample utility database with over 1,000 customers', async () => {
    expect(lines.join('\n')).toContain('LEAKING');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(dir, 'demo', 'utility-sample.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM customers').pluck().get()).toBeGreaterThanOrEqual(1000);
    expect(db.prepare('SELECT count(*) FROM service_tickets').pluck().get()).toBeGreaterThanOrEqual(1000);
    db.close();
  });

  it('when the demo is done, then the server is still serving', async () => {
    const res = await fetch(`${result.running.url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
