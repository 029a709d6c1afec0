import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, createChannel, plant, type TestApp } from '../support/app.ts';

describe('a refused request leaves no number behind', () => {
  let app: TestApp;
  afterEach(() => app.dispose());

  it('when a pool of 5 simulated numbers has 2 used and 5 are asked for, then the refusal frees what it minted and 1 more still works', async () => {
    app = buildTestApp({ env: { SIM_NUMBER_RANGES: 'US:+12025550100-+12025550104', DEFAULT_LOCALE: 'en-US' } });
    const ch = await createChannel(app, { name: 'A', kind: 'crm' });
    await plant(app, [ch.id], 2);
    const refused = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [ch.id], count: 5 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('number-pool-exhausted');
    const owned = await app.services.numberProvider.listOwned();
    expect(owned).toHaveLength(2); // the provider holds exactly what the store recorded
    const [one] = await plant(app, [ch.id], 1);
    expect(one!.phoneNumber).toMatch(/^\+1202555010[0-4]$/);
    expect(await app.services.numberProvider.listOwned()).toHaveLength(3);
  });
});
