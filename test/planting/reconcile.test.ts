import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { AUTH_TOKEN, bearer, buildTestApp, createChannel, tempDir, type TestApp } from '../support/app.ts';
import { freshPostgres, writeTargetsFile, type FreshDb } from '../support/sql-servers.ts';
import { crmTarget, startFakeCrm, type FakeCrm } from './fake-crm.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs the crashing child on the same stores; resolves with its exit code. */
function crashWhilePlanting(app: TestApp, env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'test/planting/crash-planting.ts'], {
      cwd: root,
      env: {
        ...process.env, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TRACER_DB: path.join(app.dir, 'tracer.db'), UTILITY_DB: path.join(app.dir, 'utility.db'),
        LOG_LEVEL: 'silent', CRASH_CLOCK: app.clock.now().toISOString(), ...env,
      },
    }, (err) => resolve(err ? Number((err as { code?: number }).code) : 0));
  });
}

describe('reconcile after a crash', () => {
  let db: FreshDb | undefined;
  let crm: FakeCrm | undefined;
  let app: TestApp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await app?.dispose();
    await db?.drop();
    await crm?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    app = db = crm = dir = undefined;
  });

  async function setupPostgres() {
    db = await freshPostgres();
    dir = tempDir('tracer-targets-');
    const file = writeTargetsFile(dir, [db.target('cis')]);
    app = buildTestApp({ env: { TARGETS_FILE: file } });
    const ch = await createChannel(app, { name: 'CIS', kind: 'crm', target: 'cis', routing: { queue: 'BILLING' } });
    return { db, app, ch, env: { TARGETS_FILE: file, CRASH_TARGET: 'cis', CRASH_CHANNEL: ch.id } };
  }
  const reconcile = (a: TestApp, body: object = {}) => request(a.http).post('/api/v1/plantings/reconcile').set(bearer(a.tokens.seeder)).send(body);

  it('when the tracer died after the database committed, then reconcile finds the canary by its keys and marks it planted', async () => {
    const { db, app, env } = await setupPostgres();
    const before = await db.count('service_tickets');
    expect(await crashWhilePlanting(app, { ...env, CRASH_WHEN: 'after-write' })).toBe(137);
    const [pending] = app.services.plantings.list({ status: 'pending' });
    expect(pending).toBeDefined();
    expect(await db.count('service_tickets')).toBe(before + 1);
    // Too young: it could be a creation still running.
    expect((await reconcile(app)).body.results).toEqual([]);
    app.clock.advanceMinutes(15);
    const res = await reconcile(app);
    const [ticket] = await db.query('SELECT ticket_id FROM service_tickets WHERE reference = $1', [pending!.variant.reference]);
    expect(res.body.results).toEqual([{ plantingId: pending!.id, target: 'cis', outcome: 'planted', externalRef: String(ticket!.ticket_id) }]);
    expect(app.services.plantings.get(pending!.id)).toMatchObject({ status: 'planted', externalRef: String(ticket!.ticket_id) });
    const verify = await request(app.http).post('/api/v1/plantings/verify').set(bearer(app.tokens.seeder));
    expect(verify.body.results[0].state).toBe('intact');
    // And withdrawing it afterwards removes every row the crashed planting wrote.
    await request(app.http).post(`/api/v1/canaries/${pending!.canaryId}/withdraw`).set(bearer(app.tokens.seeder));
    expect(await db.count('service_tickets')).toBe(before);
  }, 60_000);

  it('when asked to withdraw what it finds, then reconcile removes the crashed canary from the database', async () => {
    const { db, app, env } = await setupPostgres();
    const before = { customers: await db.count('customers'), tickets: await db.count('service_tickets') };
    await crashWhilePlanting(app, { ...env, CRASH_WHEN: 'after-write' });
    app.clock.advanceMinutes(15);
    const res = await reconcile(app, { withdraw: true });
    expect(res.body.results[0]).toMatchObject({ outcome: 'withdrawn' });
    expect({ customers: await db.count('customers'), tickets: await db.count('service_tickets') }).toEqual(before);
    expect(app.services.evidence.list().map((e) => e.kind)).toEqual(expect.arrayContaining(['planting', 'withdrawal']));
  }, 60_000);

  it('when the tracer died before writing, then reconcile records the planting as never planted', async () => {
    const { db, app, env } = await setupPostgres();
    const before = await db.count('service_tickets');
    await crashWhilePlanting(app, { ...env, CRASH_WHEN: 'before-write' });
    app.clock.advanceMinutes(15);
    const res = await reconcile(app);
    expect(res.body.results[0]).toMatchObject({ outcome: 'not-planted' });
    expect(await db.count('service_tickets')).toBe(before);
  }, 60_000);

  it('when reconcile is watched, then it hears each pending planting settled, of all it found', async () => {
    const { app, env } = await setupPostgres();
    await crashWhilePlanting(app, { ...env, CRASH_WHEN: 'before-write' });
    app.clock.advanceMinutes(15);
    const events: Array<[number, number]> = [];
    const results = await app.services.plantings.reconcile({}, (done, total) => events.push([done, total]));
    expect(results).toHaveLength(1);
    expect(events).toEqual([[1, 1]]);
  }, 60_000);

  it('when the target cannot look plantings up, then reconcile marks the planting for manual review', async () => {
    crm = await startFakeCrm();
    dir = tempDir('tracer-targets-');
    const file = writeTargetsFile(dir, [{ ...crmTarget(crm), search: undefined }]);
    app = buildTestApp({ env: { TARGETS_FILE: file, CRM_TOKEN: crm.token } });
    const ch = await createChannel(app, { name: 'CRM', kind: 'crm', target: 'crm', routing: { queue: 'Q1' } });
    await crashWhilePlanting(app, { TARGETS_FILE: file, CRM_TOKEN: crm.token, CRASH_TARGET: 'crm', CRASH_CHANNEL: ch.id, CRASH_WHEN: 'after-write' });
    expect(crm.tickets.size).toBe(1);
    app.clock.advanceMinutes(15);
    const res = await reconcile(app);
    expect(res.body.results[0]).toMatchObject({ outcome: 'needs-review', reason: 'target "crm" declares no search request' });
    expect(app.services.plantings.list({ status: 'needs-review' })).toHaveLength(1);
  }, 60_000);
});
