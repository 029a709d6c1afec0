// The measured claim of issue 15: 500 canaries planted among a target's real rows cannot be told
// apart by the distinguisher panel — in the sample database, and in a PostgreSQL target with a
// profile of its own (T-counter references, phones written as bare digits, other hours, other
// account ages and status mix). Figures are printed for the README.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditTarget, type AuditReport } from '../../src/planting/audit/panel.ts';
import { PostgresDriver } from '../../src/planting/sql/postgres.ts';
import { formatInZone } from '../../src/identities/clock.ts';
import { openUtilityDb } from '../../src/utility-sample/sample-target.ts';
import { drawHistory } from '../../src/utility-sample/fill.ts';
import { seeded } from '../../src/planting/profile/shaper.ts';
import { buildTestApp, tempDir, type TestApp } from '../support/app.ts';
import { freshPostgres, mappingFor, PG, writeTargetsFile, type FreshDb } from '../support/sql-servers.ts';
import { dripFeed, sampleWriter, sqlWriter, type Drawn } from '../support/stealth.ts';

const CANARIES = 500;
/** The issue's target for every detector, the combined classifier included. */
const TARGET_AUC = 0.6;
/** 16 real tickets arrive for every 4 canaries: a stream that dried up would hide nothing and prove nothing. */
const REAL_PER_CANARY = 4;
let app: TestApp | undefined;
let db: FreshDb | undefined;

afterEach(async () => {
  await app?.dispose();
  await db?.drop();
  app = undefined;
  db = undefined;
});

function show(label: string, r: AuditReport): void {
  const lines = r.detectors.map((d) => `  ${d.detector.padEnd(32)} AUC ${d.auc.toFixed(3)} [${d.low.toFixed(2)}, ${d.high.toFixed(2)}]${d.givesAway.length ? `  ${d.givesAway.map((g) => `${g.feature} ${g.auc}`).join('; ')}` : ''}`);
  console.log(`${label}: ${r.canaries} canaries, ${r.real} real rows\n${lines.join('\n')}`);
}

describe('canaries no one can tell apart', () => {
  it('when 500 canaries are drip-fed into the sample database among its real tickets, then no detector tells them apart', async () => {
    app = buildTestApp({ customers: 2000 });
    const learned = await app.services.profiles.learn('utility-sample');
    expect(learned.profile.columns.length).toBeGreaterThan(20);
    const channel = app.services.channels.create({ name: 'Vendor A', kind: 'call-centre-vendor', target: 'utility-sample', routing: { queue: 'CC-DAY' } });
    const utility = openUtilityDb(path.join(path.dirname(app.services.config.tracerDb), 'utility.db'));
    const real = await dripFeed({ app, channelId: channel.id, canaries: CANARIES, perSlot: 4, realPerSlot: 16, start: app.clock.now(), slotHours: 2, writeReal: sampleWriter(utility) });
    expect(real).toBeGreaterThan(0.9 * REAL_PER_CANARY * CANARIES);
    utility.close();

    const report = await auditTarget(app.services.db, 'utility-sample', app.services.targets.get('utility-sample'));
    show('sample database', report);
    expect(report.canaries).toBe(CANARIES);
    for (const d of report.detectors) expect(d.auc, d.detector).toBeLessThanOrEqual(TARGET_AUC);
  }, 600_000);

  it('when 500 canaries are drip-fed into a PostgreSQL target with its own profile, then they take its shape and no detector tells them apart', async () => {
    db = await freshPostgres({ customers: 0 });
    const driver = new PostgresDriver({ ...PG, database: db.name, schema: 'public', ssl: false, connectTimeoutMs: 5000 } as never);
    // Its history was logged from 07:00 to 16:00; from now on its office hours are 07:00–15:00.
    await otherUtility(driver, -1)(drawHistory(2000, 'ar-SA', { seed: 11, now: new Date('2026-11-28T09:00:00Z') }));
    const writeReal = otherUtility(driver, 0);
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(tempDir('tracer-stealth-'), [db.target('cis')]) } });
    const learned = await app.services.profiles.learn('cis');
    const phone = learned.profile.columns.find((c) => c.column === 'contact_phone')!;
    expect(phone.phone).toMatchObject({ mask: '##########', form: 'trunk' });
    expect(learned.profile.columns.find((c) => c.column === 'reference')!.code).toMatchObject({ sequence: 'counter', counter: { prefix: 'T' } });

    const channel = app.services.channels.create({ name: 'CIS vendor', kind: 'call-centre-vendor', target: 'cis', routing: { queue: 'CC-DAY' } });
    // Its real tickets keep arriving among the canaries (their ids are this utility's own, whatever another test's utility holds).
    const real = await dripFeed({ app, channelId: channel.id, canaries: CANARIES, perSlot: 4, realPerSlot: 16, start: app.clock.now(), slotHours: 2, writeReal, hours: [7, 15] });
    expect(real).toBeGreaterThan(0.9 * REAL_PER_CANARY * CANARIES);

    const canaryRows = await db.query(`SELECT reference, contact_phone FROM service_tickets WHERE reference IS NOT NULL ORDER BY ticket_id DESC LIMIT 40`);
    expect(canaryRows.every((r) => /^T\d{6}$/.test(String(r.reference)) && /^05\d{8}$/.test(String(r.contact_phone)))).toBe(true);
    const refs = await db.query(`SELECT reference FROM service_tickets ORDER BY ticket_id`);
    expect(new Set(refs.map((r) => r.reference)).size).toBe(refs.length);
    const report = await auditTarget(app.services.db, 'cis', app.services.targets.get('cis'));
    show('PostgreSQL target', report);
    await driver.close();
    expect(report.canaries).toBe(CANARIES);
    for (const d of report.detectors) expect(d.auc, d.detector).toBeLessThanOrEqual(TARGET_AUC);
  }, 600_000);
});

/**
 * Another utility's CIS: phones stored as bare digits, references from a T-counter, other office hours, accounts opened evenly over ten years, most tickets resolved rather than closed.
 */
function otherUtility(driver: PostgresDriver, shiftHours: number) {
  const mapping = mappingFor('postgres');
  for (const t of mapping.tables) {
    const cols = t.columns as unknown as Record<string, string>;
    for (const c of ['mobile', 'landline', 'contact_phone']) if (cols[c]) cols[c] = `${cols[c]} | digits`;
  }
  const write = sqlWriter(driver, mapping, (r) => r);
  let seed = 1;
  return async (rows: Drawn[]) => {
    const [last] = await driver.query({ sql: 'SELECT reference FROM service_tickets ORDER BY ticket_id DESC LIMIT 1', params: [] });
    let next = last ? Number(String(last.reference).slice(1)) + 1 : 100500;
    const rnd = seeded(seed++);
    await write(rows.map((r) => {
      const created = Date.parse(r.ticket.createdAt) + shiftHours * 3600_000;
      const opened = created - (30 + rnd() * 3650) * 86_400_000;
      const status = rnd() < 0.5 ? 'resolved' : rnd() < 0.7 ? 'closed' : rnd() < 0.6 ? 'in-progress' : 'open';
      return {
        ...r,
        persona: { ...r.persona, openedAt: formatInZone(opened, 'Asia/Riyadh') },
        ticket: { ...r.ticket, createdAt: formatInZone(created, 'Asia/Riyadh'), status },
        variant: { ...r.variant, reference: `T${next++}` },
      };
    }));
  };
}
