import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, createChannel, type TestApp } from '../support/app.ts';
import type { PlantingTarget } from '../../src/planting/target.ts';

describe('a canary rolled back after a write, in the evidence log', () => {
  let app: TestApp;
  afterEach(async () => app?.dispose());

  it('when a canary fails in its second channel, then its withdrawn and never-written plantings both verify against the log', async () => {
    const failing: PlantingTarget = { name: 'flaky', async plant() { throw new Error('503 from CRM'); }, async withdraw() {} };
    app = buildTestApp({ targets: [failing] });
    const good = await createChannel(app, { name: 'Work orders', kind: 'work-order-feed' });
    const bad = await createChannel(app, { name: 'CRM', kind: 'crm', target: 'flaky' });
    const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [good.id, bad.id] });
    expect(res.status).toBe(502);
    const statuses = app.services.db.prepare('SELECT status FROM plantings ORDER BY status').pluck().all();
    expect(statuses).toEqual(['not-planted', 'withdrawn']);
    const report = app.services.evidence.verify();
    expect(report.problems ?? []).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
