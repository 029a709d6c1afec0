import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, createChannel, plant, tempDir, type TestApp } from '../support/app.ts';
import { freshDatabase, mappingFor, writeTargetsFile, type Dialect, type FreshDb } from '../support/sql-servers.ts';

const TABLES = ['customers', 'premises', 'accounts', 'meters', 'service_tickets'];

describe.each<Dialect>(['postgres', 'mysql'])('the SQL connector on %s', (dialect) => {
  let db: FreshDb | undefined;
  let app: TestApp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await app?.dispose();
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    app = db = dir = undefined;
  });

  /** A tracer whose TARGETS_FILE names one target "cis" on a fresh utility database. */
  async function setup(o: { target?: Record<string, unknown>; env?: Record<string, string> } = {}) {
    db = await freshDatabase(dialect);
    dir = tempDir('tracer-targets-');
    const file = writeTargetsFile(dir, [db.target('cis', o.target)]);
    app = buildTestApp({ env: { TARGETS_FILE: file, ...o.env } });
    return { db, app };
  }
  const counts = async (d: FreshDb) => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await d.count(t)] as const)));
  const post = (a: TestApp, path: string, body: object = {}) => request(a.http).post(`/api/v1${path}`).set(bearer(a.tokens.seeder)).send(body);
  const tracerCount = (a: TestApp, table: string) => a.services.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

  it('when a canary is planted, then every table gets its row in one go, the ticket key is the externalRef, and verify finds it intact', async () => {
    const { db, app } = await setup();
    const before = await counts(db);
    const ch = await createChannel(app, { name: 'CIS night', kind: 'call-centre-vendor', target: 'cis', routing: { queue: 'CC-NIGHT' } });
    const [c] = await plant(app, [ch.id]);
    const ref = c!.plantings[0]!.externalRef;
    expect(ref).toMatch(/^\d+$/);
    const canary = app.services.canaries.get(c!.id);
    const [ticket] = await db.query(`SELECT * FROM service_tickets WHERE ticket_id = ${dialect === 'postgres' ? '$1' : '?'}`, [ref]);
    expect(ticket).toMatchObject({
      assigned_queue: 'CC-NIGHT', contact_phone: canary.persona.phone.national, account_number: canary.persona.accountNumber,
      reference: canary.plantings[0]!.variant.reference, description: canary.plantings[0]!.variant.description,
    });
    const after = await counts(db);
    for (const t of TABLES) expect(after[t], t).toBe(before[t]! + 1);
    const verify = await post(app, '/plantings/verify');
    expect(verify.body.results).toMatchObject([{ plantingId: canary.plantings[0]!.id, state: 'intact', externalRef: ref }]);
  });

  it('when a canary is withdrawn, then its rows are gone, every real row is untouched, and the withdrawal is evidence', async () => {
    const { db, app } = await setup();
    const realTickets = await db.query('SELECT * FROM service_tickets ORDER BY ticket_id');
    const before = await counts(db);
    const ch = await createChannel(app, { name: 'CIS day', kind: 'call-centre-vendor', target: 'cis', routing: { queue: 'CC-DAY' } });
    const [gone, stays] = await plant(app, [ch.id], 2);
    const res = await post(app, `/canaries/${gone!.id}/withdraw`);
    expect(res.status).toBe(200);
    expect(res.body.results).toMatchObject([{ outcome: 'withdrawn', target: 'cis' }]);
    const after = await counts(db);
    for (const t of TABLES) expect(after[t], t).toBe(before[t]! + 1);
    const ticketIds = (await db.query('SELECT ticket_id FROM service_tickets ORDER BY ticket_id')).map((r) => String(r.ticket_id));
    expect(ticketIds).toContain(stays!.plantings[0]!.externalRef);
    expect(ticketIds).not.toContain(gone!.plantings[0]!.externalRef);
    expect(await db.query('SELECT * FROM service_tickets WHERE ticket_id IN (' + realTickets.map((r) => Number(r.ticket_id)).join(',') + ') ORDER BY ticket_id')).toEqual(realTickets);
    const p = app.services.canaries.get(gone!.id).plantings[0]!;
    expect(p.status).toBe('withdrawn');
    expect(p.withdrawnAt).not.toBeNull();
    expect(app.services.evidence.list().map((e) => e.kind)).toContain('withdrawal');
    expect((await post(app, `/canaries/${gone!.id}/withdraw`)).body.results).toEqual([]);
  });

  it('when one canary goes into two channels of the same database, then its customer rows are written once and leave with the last planting', async () => {
    const { db, app } = await setup();
    const before = await counts(db);
    const a = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor', target: 'cis', routing: { queue: 'CC-DAY' } });
    const b = await createChannel(app, { name: 'Field ops', kind: 'work-order-feed', target: 'cis', routing: { queue: 'FIELD-OPS' } });
    const [c] = await plant(app, [a.id, b.id]);
    const mid = await counts(db);
    expect(mid.customers).toBe(before.customers! + 1);
    expect(mid.service_tickets).toBe(before.service_tickets! + 2);
    const queues = (await db.query('SELECT assigned_queue FROM service_tickets WHERE ticket_id IN (' + c!.plantings.map((p) => Number(p.externalRef)).join(',') + ')'))
      .map((r) => r.assigned_queue).sort();
    expect(queues).toEqual(['CC-DAY', 'FIELD-OPS']);
    const res = await post(app, `/canaries/${c!.id}/withdraw`);
    expect(res.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['withdrawn', 'withdrawn']);
    expect(await counts(db)).toEqual(before);
  });

  it('when staff alter or delete a canary, then verify reports it altered or missing, and each finding enters the evidence log once', async () => {
    const { db, app } = await setup();
    const ch = await createChannel(app, { name: 'CRM', kind: 'crm', target: 'cis', routing: { queue: 'BILLING' } });
    const [c] = await plant(app, [ch.id]);
    const ref = Number(c!.plantings[0]!.externalRef);
    const p = (n: number) => (dialect === 'postgres' ? `$${n}` : '?');
    // A status change is the utility working the ticket, not tampering.
    await db.query(`UPDATE service_tickets SET status = 'closed', contact_name = ${p(1)} WHERE ticket_id = ${p(2)}`, ['Someone Else', ref]);
    const altered = (await post(app, '/plantings/verify')).body.results[0];
    expect(altered.state).toBe('altered');
    expect(altered.differences).toEqual([{ field: 'service_tickets.contact_name', written: expect.any(String), found: 'Someone Else' }]);
    await post(app, '/plantings/verify');
    const findings = () => app.services.evidence.list().filter((e) => e.kind === 'planting-finding');
    expect(findings()).toHaveLength(1);
    await db.query(`DELETE FROM service_tickets WHERE ticket_id = ${p(1)}`, [ref]);
    const missing = (await post(app, '/plantings/verify')).body.results[0];
    expect(missing.state).toBe('missing');
    expect(missing.what).toContain(`ticket_id=${ref}`);
    expect(findings().map((e) => (e.payload as { state: string }).state)).toEqual(['altered', 'missing']);
    expect(app.services.evidence.verify().ok).toBe(true);
  });

  it('when the mapping names an unknown table or column, then creation fails naming the target and what is missing, and nothing is planted', async () => {
    const mapping = mappingFor(dialect);
    (mapping.tables[4]!.columns as unknown as Record<string, string>).queue = 'routing.queue';
    const { app } = await setup({ target: { mapping } });
    const ch = await createChannel(app, { name: 'CRM', kind: 'crm', target: 'cis', routing: { queue: 'BILLING' } });
    const res = await post(app, '/canaries', { channelIds: [ch.id] });
    expect(res.status).toBe(502);
    expect(res.body.error).toBe('target-schema-mismatch');
    expect(res.body.message).toBe('target "cis": column "service_tickets.queue" does not exist');
    expect(tracerCount(app, 'canaries')).toBe(0);
    expect(tracerCount(app, 'canary_numbers')).toBe(0);
  });

  it('when the mapping names a table the database lacks, then the error names it', async () => {
    const mapping = mappingFor(dialect);
    mapping.tables[3]!.table = 'meter';
    const { app } = await setup({ target: { mapping } });
    const ch = await createChannel(app, { name: 'CRM', kind: 'crm', target: 'cis', routing: { queue: 'BILLING' } });
    const res = await post(app, '/canaries', { channelIds: [ch.id] });
    expect(res.body).toEqual({ error: 'target-schema-mismatch', message: 'target "cis": table "meter" does not exist' });
  });

  it('when the database is down, then a clear error names the target and no canary is recorded', async () => {
    const { app } = await setup({ target: { port: 1 } });
    const ch = await createChannel(app, { name: 'CRM', kind: 'crm', target: 'cis', routing: { queue: 'BILLING' } });
    const res = await post(app, '/canaries', { channelIds: [ch.id] });
    expect(res.status).toBe(502);
    expect(res.body.error).toBe('target-unavailable');
    expect(res.body.message).toMatch(/^target "cis": cannot reach the database/);
    expect(tracerCount(app, 'canaries')).toBe(0);
  });

  it('when the database refuses the credentials, then the error says so and no canary is recorded', async () => {
    const target = dialect === 'postgres' ? { user: 'no_such_role' } : { passwordEnv: 'CIS_PASSWORD' };
    const { app } = await setup({ target, env: { CIS_PASSWORD: 'not-the-password' } });
    const ch = await createChannel(app, { name: 'CRM', kind: 'crm', target: 'cis', routing: { queue: 'BILLING' } });
    const res = await post(app, '/canaries', { channelIds: [ch.id] });
    expect(res.body.error).toBe('target-auth-failed');
    expect(res.body.message).toMatch(/^target "cis": the database refused the credentials/);
    expect(tracerCount(app, 'canaries')).toBe(0);
  });

  it('when the last table refuses a row, then the whole planting is rolled back and nothing is recorded as planted', async () => {
    const mapping = mappingFor(dialect);
    mapping.tables[4]!.columns.contact_name = 'null';
    const { db, app } = await setup({ target: { mapping } });
    const before = await counts(db);
    const ch = await createChannel(app, { name: 'CRM', kind: 'crm', target: 'cis', routing: { queue: 'BILLING' } });
    const res = await post(app, '/canaries', { channelIds: [ch.id] });
    expect(res.status).toBe(502);
    expect(res.body.error).toBe('target-constraint');
    expect(res.body.message).toMatch(/^target "cis": a constraint refused the write/);
    expect(await counts(db)).toEqual(before);
    expect(tracerCount(app, 'plantings')).toBe(0);
    expect(app.services.db.prepare(`SELECT count(*) FROM evidence_log WHERE kind = 'planting'`).pluck().get()).toBe(0);
  });

  it('when a channel routes to a queue no real ticket uses, then planting is refused rather than leave a tell', async () => {
    const { app } = await setup();
    const ch = await createChannel(app, { name: 'CRM', kind: 'crm', target: 'cis', routing: { queue: 'TRAP' } });
    const res = await post(app, '/canaries', { channelIds: [ch.id] });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unknown-routing');
    expect(res.body.message).toContain('"TRAP"');
  });
});
