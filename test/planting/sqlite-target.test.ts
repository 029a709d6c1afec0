import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { openUtilityDb } from '../../src/utility-sample/sample-target.ts';
import { fillSampleUtility } from '../../src/utility-sample/fill.ts';
import { utilityMappingJson } from '../../src/utility-sample/mapping.ts';
import { bearer, buildTestApp, createChannel, plant, tempDir, type TestApp } from '../support/app.ts';
import { writeTargetsFile } from '../support/sql-servers.ts';

describe('the SQL connector on SQLite', () => {
  let app: TestApp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await app?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    app = dir = undefined;
  });

  const post = (a: TestApp, p: string, body: object = {}) => request(a.http).post(`/api/v1${p}`).set(bearer(a.tokens.seeder)).send(body);
  const count = (file: string, table: string) => {
    const db = new Database(file, { readonly: true });
    const n = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    db.close();
    return n;
  };

  it('when a SQLite file is a configured target, then canaries are planted, verified and withdrawn there', async () => {
    dir = tempDir('tracer-sqlite-');
    const file = path.join(dir, 'cis.db');
    const seed = openUtilityDb(file);
    fillSampleUtility(seed, 40, 'en-US', 3);
    seed.close();
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(dir, [{ name: 'branch-cis', kind: 'sqlite', file: 'cis.db', mapping: utilityMappingJson() }]) } });
    const ch = await createChannel(app, { name: 'Branch', kind: 'other', target: 'branch-cis', routing: { queue: 'CC-DAY' } });
    const [c] = await plant(app, [ch.id], 3);
    expect(count(file, 'service_tickets')).toBe(43);
    expect((await post(app, '/plantings/verify')).body.results.map((r: { state: string }) => r.state)).toEqual(['intact', 'intact', 'intact']);
    await post(app, `/canaries/${c!.id}/withdraw`);
    expect(count(file, 'service_tickets')).toBe(42);
    expect(count(file, 'customers')).toBe(42);
  });

  it('when the SQLite file does not exist, then the target is unavailable and nothing is created', async () => {
    dir = tempDir('tracer-sqlite-');
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(dir, [{ name: 'gone', kind: 'sqlite', file: 'missing.db', mapping: utilityMappingJson() }]) } });
    const ch = await createChannel(app, { name: 'Gone', kind: 'other', target: 'gone', routing: { queue: 'CC-DAY' } });
    const res = await post(app, '/canaries', { channelIds: [ch.id] });
    expect(res.body.error).toBe('target-unavailable');
    expect(res.body.message).toMatch(/^target "gone": cannot reach the database/);
    expect(fs.existsSync(path.join(dir, 'missing.db'))).toBe(false);
  });

  it('when a sample-utility canary is withdrawn, then its customer, account, premise, meter and ticket leave the sample database', async () => {
    app = buildTestApp();
    const file = path.join(app.dir, 'utility.db');
    const tables = ['customers', 'premises', 'accounts', 'meters', 'service_tickets'];
    const before = tables.map((t) => count(file, t));
    const a = await createChannel(app, { name: 'A', kind: 'call-centre-vendor' });
    const b = await createChannel(app, { name: 'B', kind: 'work-order-feed' });
    const [c] = await plant(app, [a.id, b.id]);
    expect(count(file, 'customers')).toBe(before[0]! + 1);
    expect(count(file, 'service_tickets')).toBe(before[4]! + 2);
    expect((await post(app, '/plantings/verify')).body.results.map((r: { state: string }) => r.state)).toEqual(['intact', 'intact']);
    const res = await post(app, `/canaries/${c!.id}/withdraw`);
    expect(res.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['withdrawn', 'withdrawn']);
    expect(tables.map((t) => count(file, t))).toEqual(before);
    // Nothing of it is left anywhere: its number goes to quarantine, never to another canary.
    const number = app.services.db.prepare('SELECT n.status FROM canary_numbers n JOIN canaries c ON c.number_id = n.id WHERE c.id = ?').pluck().get(c!.id);
    expect(number).toBe('retired');
  });
});
