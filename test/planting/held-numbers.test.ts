// A canary keeps its number through every redraw of the rest of its identity; when a real customer of
// the target already holds that number (their mobile, a unique column), no redraw can clear the clash.
// The canary must take another number, and the held one leave service, or a campaign into a target
// with many real customers fails whenever the number range and theirs overlap.
import { afterEach, describe, expect, it } from 'vitest';
import { drawHistory } from '../../src/utility-sample/fill.ts';
import { utilityMapping } from '../../src/utility-sample/mapping.ts';
import { contactPhone } from '../../src/identities/phones.ts';
import { PostgresDriver } from '../../src/planting/sql/postgres.ts';
import { SqlTarget } from '../../src/planting/sql/target.ts';
import { seeded } from '../../src/planting/profile/shaper.ts';
import type { Channel } from '../../src/channels/channels.ts';
import { buildTestApp, tempDir, type TestApp } from '../support/app.ts';
import { freshPostgres, PG, writeTargetsFile, type FreshDb } from '../support/sql-servers.ts';

/** The simulated numbers canaries are minted from: 4,000 mobiles. */
const RANGE_FROM = 966593300000;
const RANGE_SIZE = 4000;
/** Real customers whose mobiles are every fourth number of that range. */
const HELD = 1000;
const CAMPAIGN = 600; // two batches of at most 500

let app: TestApp | undefined;
let db: FreshDb | undefined;

afterEach(async () => {
  await app?.dispose();
  await db?.drop();
  app = undefined;
  db = undefined;
});

describe('canary numbers a real record already holds', () => {
  it('when real customers of a learned PostgreSQL target hold a quarter of the canary number range, then a campaign of two batches is planted on numbers none of them holds and the held ones leave service', async () => {
    db = await freshPostgres({ customers: 0 });
    const driver = new PostgresDriver({ ...PG, database: db.name, schema: 'public', ssl: false, connectTimeoutMs: 5000 } as never);
    try {
      const seeder = new SqlTarget('seed', driver, { ...utilityMapping(), routingChecks: [] });
      const channel: Channel = {
        id: 'seed', name: 'ordinary intake', kind: 'other', description: '', dimensions: {}, target: 'seed',
        routing: { queue: 'CC-DAY' }, feeds: [], createdAt: new Date(0).toISOString(), archivedAt: null,
      };
      const customers = drawHistory(HELD, 'ar-SA', { seed: 21 }).map((r, i) => ({
        ...r, persona: { ...r.persona, phone: contactPhone(`+${RANGE_FROM + 4 * i}`) }, channel,
      }));
      for (let at = 0; at < customers.length; at += 500) await seeder.plantBatch(customers.slice(at, at + 500));
    } finally {
      await driver.close();
    }
    const heldMobiles = new Set(Array.from({ length: HELD }, (_, i) => contactPhone(`+${RANGE_FROM + 4 * i}`).national));

    app = buildTestApp({
      env: {
        TARGETS_FILE: writeTargetsFile(tempDir('tracer-held-'), [db.target('cis')]),
        SIM_NUMBER_RANGES: `SA:+${RANGE_FROM}-+${RANGE_FROM + RANGE_SIZE - 1}`,
      },
    });
    await app.services.profiles.learn('cis');
    const ch = app.services.channels.create({ name: 'Vendor A', kind: 'call-centre-vendor', target: 'cis', routing: { queue: 'CC-DAY' } });
    const canaries = await app.services.canaries.create({ channelIds: [ch.id], count: CAMPAIGN });

    expect(canaries).toHaveLength(CAMPAIGN);
    expect(canaries.every((c) => c.plantings[0]!.status === 'planted')).toBe(true);
    // No canary carries a real customer's number, and each number is its own.
    expect(canaries.filter((c) => heldMobiles.has(c.persona.phone.national))).toEqual([]);
    expect(new Set(canaries.map((c) => c.phoneNumber)).size).toBe(CAMPAIGN);
    const mobiles = await db.query('SELECT mobile, count(*) AS n FROM customers GROUP BY mobile HAVING count(*) > 1');
    expect(mobiles).toEqual([]);
    // The numbers that were held were drawn (a quarter of the range), replaced and retired, each with its evidence.
    const retired = app.services.db
      .prepare(`SELECT phone_number FROM canary_numbers WHERE status = 'retired' AND retired_reason = 'held-by-real-record'`)
      .pluck().all() as string[];
    expect(retired.length).toBeGreaterThan(0);
    for (const phone of retired) expect(heldMobiles.has(contactPhone(phone).national), phone).toBe(true);
    expect(canaries.some((c) => retired.includes(c.phoneNumber))).toBe(false);
    const entries = app.services.db
      .prepare(`SELECT count(*) FROM evidence_log WHERE kind = 'number-lifecycle' AND json_extract(payload, '$.reason') = 'held-by-real-record'`)
      .pluck().get() as number;
    expect(entries).toBe(retired.length);
    // No canary ever carried them: the next lifecycle step releases them without a quarantine.
    const step = await app.services.numberLifecycle.step();
    expect(step.released.map((n) => n.phoneNumber).sort()).toEqual([...retired].sort());
    expect(app.services.evidence.verify().ok).toBe(true);
  }, 300_000);
});

describe('ids drawn in the target\'s own scheme', () => {
  it('when real accounts fill a short learned id scheme, then a campaign of two batches draws account numbers in it that neither real rows nor other canaries hold', async () => {
    db = await freshPostgres({ customers: 0 });
    const driver = new PostgresDriver({ ...PG, database: db.name, schema: 'public', ssl: false, connectTimeoutMs: 5000 } as never);
    const SPACE = 100_000;
    const REAL = 2000;
    // AC-00000 … AC-99999, one in fifty taken, far enough apart not to read as a counter: 600 canaries
    // drawn at random in it meet a real account a dozen times and each other about twice.
    const rnd = seeded(5);
    const drawnIds = new Set<number>();
    while (drawnIds.size < REAL) drawnIds.add(Math.floor(rnd() * SPACE));
    const taken = [...drawnIds];
    try {
      const seeder = new SqlTarget('seed', driver, { ...utilityMapping(), routingChecks: [] });
      const channel: Channel = {
        id: 'seed', name: 'ordinary intake', kind: 'other', description: '', dimensions: {}, target: 'seed',
        routing: { queue: 'CC-DAY' }, feeds: [], createdAt: new Date(0).toISOString(), archivedAt: null,
      };
      const customers = drawHistory(REAL, 'ar-SA', { seed: 22 }).map((r, i) => ({
        ...r, persona: { ...r.persona, accountNumber: `AC-${String(taken[i]).padStart(5, '0')}` }, channel,
      }));
      for (let at = 0; at < customers.length; at += 500) await seeder.plantBatch(customers.slice(at, at + 500));
    } finally {
      await driver.close();
    }
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(tempDir('tracer-dense-'), [db.target('cis')]) } });
    const { profile } = await app.services.profiles.learn('cis');
    expect(profile.columns.find((c) => c.table === 'accounts' && c.column === 'account_number')!.code).toMatchObject({ sequence: 'random', prefix: 'AC-' });
    const ch = app.services.channels.create({ name: 'Vendor A', kind: 'call-centre-vendor', target: 'cis', routing: { queue: 'CC-DAY' } });
    const canaries = await app.services.canaries.create({ channelIds: [ch.id], count: CAMPAIGN });

    expect(canaries).toHaveLength(CAMPAIGN);
    const accounts = await db.query(`SELECT account_number FROM accounts WHERE account_number NOT IN (${taken.map((n) => `'AC-${String(n).padStart(5, '0')}'`).join(', ')})`);
    expect(accounts).toHaveLength(CAMPAIGN);
    expect(accounts.every((a) => /^AC-\d{5}$/.test(String(a.account_number)))).toBe(true);
  }, 300_000);
});
