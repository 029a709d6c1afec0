import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { PlantingRequest, PlantingTarget, PlantResult } from '../../src/planting/target.ts';
import { bearer, buildTestApp, createChannel, tempDir, type TestApp } from '../support/app.ts';
import { freshPostgres, writeTargetsFile, type FreshDb } from '../support/sql-servers.ts';

describe('planting a campaign in batches', () => {
  let db: FreshDb | undefined;
  let app: TestApp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await app?.dispose();
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    app = db = dir = undefined;
  });
  const tracerCount = (a: TestApp, sql: string) => a.services.db.prepare(sql).pluck().get() as number;

  it('when 1,200 canaries are created in one request into PostgreSQL, then all are planted, each with its own ticket and evidence entry', async () => {
    db = await freshPostgres();
    dir = tempDir('tracer-targets-');
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(dir, [db.target('cis')]), SIM_NUMBER_RANGES: 'SA:+966593300000-+966593399999' } });
    const before = await db.count('service_tickets');
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor', target: 'cis', routing: { queue: 'CC-DAY' } });
    const canaries = await app.services.canaries.create({ channelIds: [ch.id], count: 1200 });
    expect(canaries).toHaveLength(1200);
    const refs = canaries.map((c) => c.plantings[0]!.externalRef);
    expect(new Set(refs).size).toBe(1200);
    expect(canaries.every((c) => c.plantings[0]!.status === 'planted')).toBe(true);
    expect(await db.count('service_tickets')).toBe(before + 1200);
    // Each canary's own ticket carries its own phone and reference: keys were matched to rows.
    const sample = canaries[777]!;
    const [row] = await db.query('SELECT contact_phone, reference FROM service_tickets WHERE ticket_id = $1', [sample.plantings[0]!.externalRef]);
    expect(row).toEqual({ contact_phone: sample.persona.phone.national, reference: sample.plantings[0]!.variant.reference });
    expect(tracerCount(app, `SELECT count(*) FROM evidence_log WHERE kind = 'planting'`)).toBe(1200);
    expect(app.services.evidence.verify().ok).toBe(true);
  });

  it('when a later batch fails, then earlier batches stay planted and the failing batch leaves nothing anywhere', async () => {
    let batches = 0;
    const written: string[] = [];
    const withdrawn: string[] = [];
    const target: PlantingTarget = {
      name: 'flaky-batch', kind: 'custom',
      async plant(r: PlantingRequest) {
        return (await this.plantBatch!([r]))[0]!;
      },
      async plantBatch(rs: PlantingRequest[]): Promise<PlantResult[]> {
        if (++batches === 3) throw new Error('disk full');
        return rs.map((r) => (written.push(r.variant.reference), { externalRef: r.variant.reference }));
      },
      async withdraw(ref) {
        withdrawn.push(ref!);
      },
    };
    app = buildTestApp({ targets: [target] });
    const ch = await createChannel(app, { name: 'Flaky', kind: 'other', target: 'flaky-batch' });
    const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [ch.id], count: 1400 });
    expect(res.status).toBe(502);
    expect(res.body.message).toMatch(/^batch 3 of 3 failed and left nothing; the 1000 canaries of earlier batches stay planted: planting failed: disk full/);
    expect(tracerCount(app, 'SELECT count(*) FROM canaries')).toBe(1000);
    expect(tracerCount(app, `SELECT count(*) FROM plantings WHERE status = 'planted'`)).toBe(1000);
    expect(tracerCount(app, `SELECT count(*) FROM canary_numbers WHERE status = 'assigned'`)).toBe(1000);
    expect(withdrawn).toEqual([]);
  });

  it('when a second channel of a batch fails, then the first channel\'s rows are withdrawn and the exposed numbers retired', async () => {
    const refused: PlantingTarget = {
      name: 'refuses', kind: 'custom',
      async plant() {
        throw new Error('nope');
      },
      async plantBatch() {
        throw new Error('CRM batch endpoint answered 500');
      },
      async withdraw() {},
    };
    app = buildTestApp({ targets: [refused] });
    const before = app.services.db.prepare('SELECT count(*) FROM canaries').pluck().get();
    const good = await createChannel(app, { name: 'Sample', kind: 'call-centre-vendor' });
    const bad = await createChannel(app, { name: 'Bad', kind: 'crm', target: 'refuses' });
    const utilityTickets = () => {
      const u = new Database(path.join(app!.dir, 'utility.db'), { readonly: true });
      const n = u.prepare('SELECT count(*) FROM service_tickets').pluck().get();
      u.close();
      return n;
    };
    const ticketsBefore = utilityTickets();
    const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [good.id, bad.id], count: 5 });
    expect(res.status).toBe(502);
    // The five canaries reached the sample database for a moment: kept as exposure, nothing live.
    expect(app.services.db.prepare('SELECT count(*) FROM canaries').pluck().get()).toBe((before as number) + 5);
    expect(app.services.db.prepare(`SELECT count(*) FROM plantings WHERE status IN ('planted', 'pending')`).pluck().get()).toBe(0);
    expect(utilityTickets()).toBe(ticketsBefore);
    expect(app.services.db.prepare('SELECT DISTINCT status FROM canary_numbers').pluck().all()).toEqual(['retired']);
    expect(tracerCount(app, `SELECT count(*) FROM evidence_log WHERE kind = 'canary-rolled-back'`)).toBe(5);
  });

  it('when a target cannot batch, then the one pipeline writes its canaries one by one, batch after batch', async () => {
    let writes = 0;
    const oneByOne: PlantingTarget = { name: 'one-by-one', async plant() { writes++; return { externalRef: `T${writes}` }; }, async withdraw() {} };
    app = buildTestApp({ targets: [oneByOne] });
    const ch = await createChannel(app, { name: 'Slow', kind: 'other', target: 'one-by-one' });
    const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [ch.id], count: 501 });
    expect(res.status).toBe(201);
    expect(writes).toBe(501);
    expect(tracerCount(app, `SELECT count(*) FROM plantings WHERE status = 'planted' AND exposed_at IS NOT NULL`)).toBe(501);
  });
});
