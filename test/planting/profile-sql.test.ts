import fs from 'node:fs';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, tempDir, type TestApp } from '../support/app.ts';
import { freshDatabase, writeTargetsFile, type Dialect, type FreshDb } from '../support/sql-servers.ts';

describe.each<Dialect>(['postgres', 'mysql'])('planting in a learned shape on %s', (dialect) => {
  let db: FreshDb | undefined;
  let app: TestApp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await app?.dispose();
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    app = db = dir = undefined;
  });

  it('when canaries are planted with a learned profile, then verify finds them intact, reconcile finds them and withdraw removes them', async () => {
    db = await freshDatabase(dialect, { customers: 80 });
    dir = tempDir('tracer-profile-sql-');
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(dir, [db.target('cis')]) } });
    const { profile } = await app.services.profiles.learn('cis');
    expect(profile.columns.find((c) => c.column === 'contact_phone')).toMatchObject({ kind: 'phone' });
    const channel = app.services.channels.create({ name: 'CIS', kind: 'call-centre-vendor', target: 'cis', routing: { queue: 'CC-DAY' } });
    const canaries = await app.services.canaries.create({ channelIds: [channel.id], count: 3 });
    const post = (p: string, body: object = {}) => request(app!.http).post(`/api/v1${p}`).set(bearer(app!.tokens.seeder)).send(body);
    const verify = await post('/plantings/verify');
    expect(verify.body.results.map((r: { state: string }) => r.state)).toEqual(['intact', 'intact', 'intact']);

    // Reconcile re-renders the planting: the same shaped values find the same rows.
    const planting = app.services.plantings.list({ canaryId: canaries[0]!.id })[0]!;
    const found = await app.services.targets.get('cis')!.find!({ ...app.services.canaries.get(canaries[0]!.id), variant: planting.variant, channel });
    expect(found).toMatchObject({ externalRef: planting.externalRef });

    const before = await db.count('service_tickets');
    for (const c of canaries) await post(`/canaries/${c.id}/withdraw`);
    expect(await db.count('service_tickets')).toBe(before - 3);
  }, 120_000);
});
