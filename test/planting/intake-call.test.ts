import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, createChannel, plant, tempDir, type TestApp } from '../support/app.ts';
import { writeTargetsFile } from '../support/sql-servers.ts';

describe('the guided intake call', () => {
  let app: TestApp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await app?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    app = dir = undefined;
  });

  async function setup(locale: 'ar-SA' | 'en-US') {
    dir = tempDir('tracer-intake-');
    const target = { name: 'call-centre', kind: 'intake-call', intakeLine: locale === 'ar-SA' ? '920 001 234' : '(602) 555-0147', hours: 'Sun–Thu 08:00–16:00' };
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(dir, [target]), DEFAULT_LOCALE: locale } });
    const ch = await createChannel(app, { name: 'Vendor A day shift', kind: 'call-centre-vendor', target: 'call-centre' });
    const [c] = await plant(app, [ch.id]);
    const canary = app.services.canaries.get(c!.id);
    return { app, canary, planting: canary.plantings[0]! };
  }
  const script = (a: TestApp, id: string) => request(a.http).get(`/api/v1/plantings/${id}/script`).set(bearer(a.tokens.seeder));

  it('when an ar-SA canary is planted by phone, then the call script is in Arabic with the persona, the variant\'s wording and the confirm command', async () => {
    const { app, canary, planting } = await setup('ar-SA');
    expect(planting.status).toBe('awaiting-confirmation');
    const res = await script(app, planting.id);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain');
    const text = res.text;
    expect(text).toMatch(/^نص المكالمة/);
    for (const part of ['اتصل على: 920 001 234', planting.variant.fullName, canary.persona.phone.national, canary.persona.accountNumber,
      canary.persona.nationalId!, planting.variant.description, 'ممكن رقم البلاغ', `tracer plantings confirm ${planting.id} --ref`]) {
      expect(text).toContain(part);
    }
    expect(text).not.toMatch(/canary|tracer-test|test call/i);
    const reads = app.services.audit.list().map((r) => r.action);
    expect(reads).toContain('script');
  });

  it('when an en-US canary is planted by phone, then the script is in English', async () => {
    const { app, canary, planting } = await setup('en-US');
    const text = (await script(app, planting.id)).text;
    expect(text).toMatch(/^CALL SCRIPT/);
    expect(text).toContain('Dial (602) 555-0147');
    expect(text).toContain(`Name:             ${planting.variant.fullName}`);
    expect(text).toContain(canary.persona.phone.national);
    expect(text).toContain('Could I have the ticket number');
  });

  it('when staff record the ticket number the agent gave and the time of the call, then that is the planting and its start', async () => {
    const { app, planting } = await setup('ar-SA');
    app.clock.advanceMinutes(45);
    const res = await request(app.http).post(`/api/v1/plantings/${planting.id}/confirm`).set(bearer(app.tokens.seeder))
      .send({ ref: '2611-448812', at: '2026-11-28T12:42:00+03:00' });
    expect(res.body).toMatchObject({ status: 'planted', externalRef: '2611-448812', plantedAt: '2026-11-28T09:42:00.000Z' });
    const withdrawn = await request(app.http).post(`/api/v1/canaries/${planting.canaryId}/withdraw`).set(bearer(app.tokens.seeder));
    expect(withdrawn.body.results[0].note).toContain('ask to close ticket 2611-448812');
  });

  it('when a script is asked for a planting that is not an intake call, then 400', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Sample', kind: 'crm' });
    const [c] = await plant(app, [ch.id]);
    const id = app.services.canaries.get(c!.id).plantings[0]!.id;
    const res = await script(app, id);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid-request');
  });
});
