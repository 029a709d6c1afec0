// A restart with a pool larger than a reconcile page: the simulator reads the store's numbers when
// asked instead of copying them, and reconcile walks the account and the pool a page at a time.
import { afterEach, describe, expect, it } from 'vitest';
import { numbersTestApp, type NumbersTestApp } from './support/app.ts';

let app: NumbersTestApp;
afterEach(async () => {
  await app?.dispose();
});

const HELD = 1_234;

/** A store holding HELD ready numbers (num_0… on PN000…0, +12020000000…), restarted so that the simulator starts from the store. */
async function restartedWithPool(): Promise<NumbersTestApp> {
  app = numbersTestApp({ env: { SIM_NUMBER_RANGES: 'US:+12020000000-+12020009999' } });
  const insert = app.services.db.prepare(`INSERT INTO canary_numbers (id, phone_number, country, provider, provider_sid, status, created_at, backfilled_until)
    VALUES (?, ?, 'US', 'simulated', ?, 'ready', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`);
  app.services.db.transaction(() => {
    for (let i = 0; i < HELD; i++) insert.run(`num_${i}`, `+1202000${String(i).padStart(4, '0')}`, `PN${String(i).padStart(32, '0')}`);
  })();
  return app.restart();
}

describe('restart with a large pool', () => {
  it('when 1,234 numbers are held, then after a restart none is copied into memory, reconcile covers every one, and a number gone or changed is still found', async () => {
    app = await restartedWithPool();
    expect(app.sim.numbersInMemory).toBe(0);
    expect((await app.sim.listOwned()).length).toBe(HELD);

    const webhooks = (await app.sim.listOwned())[0]!.webhooks;
    await app.sim.updateWebhooks(`PN${'7'.padStart(32, '0')}`, { ...webhooks, voiceUrl: 'https://elsewhere.example.com/voice' });
    await app.sim.release(`PN${'1001'.padStart(32, '0')}`);
    // Changing one and releasing one brings only those two into memory.
    expect(app.sim.numbersInMemory).toBe(1);

    const { reconcile } = await app.services.numberService.sync();
    expect(reconcile).toMatchObject({ onAccount: HELD - 1, held: HELD });
    expect(reconcile.missing.map((m) => m.id)).toEqual(['num_1001']);
    expect(reconcile.webhooksFixed.map((w) => w.id)).toEqual(['num_7']);
    expect(reconcile.totals.untracked).toBe(0);
    const cursors = app.services.db.prepare("SELECT count(*) FROM canary_numbers WHERE backfilled_until > '2026-11-02'").pluck().get();
    expect(cursors).toBe(HELD - 1);
    // A minted number is not one the store already holds.
    await expect(app.sim.purchase({ phoneNumber: '+12020000005', friendlyName: 'x', webhooks })).rejects.toMatchObject({ code: 'number-unavailable' });
  });

  it('when more numbers are gone from the account than a reconcile page holds, then each is flagged missing once and the rest are not', async () => {
    app = await restartedWithPool();
    // Every third number, 412 of them, spread through the pool: the missing are read in pages.
    const gone = Array.from({ length: HELD }, (_, i) => i).filter((i) => i % 3 === 0);
    for (const i of gone) await app.sim.release(`PN${String(i).padStart(32, '0')}`);

    const { reconcile } = await app.services.numberService.sync();
    expect(reconcile).toMatchObject({ onAccount: HELD - gone.length, held: HELD, totals: { missing: gone.length } });
    const flagged = app.services.db.prepare('SELECT id FROM canary_numbers WHERE missing_since IS NOT NULL ORDER BY rowid').pluck().all();
    expect(flagged).toEqual(gone.map((i) => `num_${i}`));
    const entries = app.services.db.prepare("SELECT count(*) FROM evidence_log WHERE kind = 'number-missing'").pluck().get();
    expect(entries).toBe(gone.length);
  });
});
