import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, tempDir, type TestApp } from '../support/app.ts';
import { MIN_SHARED } from '../../src/planting/profile/types.ts';
import { writeTargetsFile } from '../support/sql-servers.ts';
import { UTILITY_SCHEMA } from '../../src/utility-sample/schema.ts';
import { fillSampleUtility } from '../../src/utility-sample/fill.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const utilityFile = (a: TestApp) => path.join(path.dirname(a.services.config.tracerDb), 'utility.db');

describe('learning a target', () => {
  it('when the sample target is learned, then every column keeps its shape and no value that identifies a record is stored', async () => {
    app = buildTestApp({ customers: 400 });
    const { profile, hash } = await app.services.profiles.learn('utility-sample');
    const col = (name: string) => profile.columns.find((c) => `${c.table}.${c.column}` === name)!;
    expect(col('service_tickets.contact_phone')).toMatchObject({ kind: 'phone', phone: { mask: '### ### ####', form: 'trunk', country: 'SA' } });
    expect(col('service_tickets.status').category!.shares.closed).toBeGreaterThan(0.5);
    expect(col('accounts.opened_at').date!.ageDays[10]).toBeGreaterThan(365);
    expect(col('service_tickets.created_at').date!.hours.slice(0, 8).every((h) => h === 0)).toBe(true);

    // Every value that fewer than MIN_SHARED rows share (names, phones, ids, references, addresses, texts, times) is
    // absent. (Short bare numbers such as building numbers are kept only as two-significant-figure quantiles.)
    const stored = JSON.stringify(app.services.profiles.load('utility-sample'));
    const db = new Database(utilityFile(app), { readonly: true });
    const counts = new Map<string, number>();
    for (const table of ['customers', 'premises', 'accounts', 'meters', 'service_tickets']) {
      for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Array<Record<string, unknown>>) {
        for (const v of Object.values(row)) if (v !== null && (String(v).length >= 6 || /\p{L}/u.test(String(v)))) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      }
    }
    db.close();
    const identifying = [...counts].filter(([, n]) => n < MIN_SHARED).map(([v]) => v);
    expect(identifying.length).toBeGreaterThan(3000);
    expect(identifying.filter((v) => stored.includes(JSON.stringify(v).slice(1, -1)))).toEqual([]);

    const entry = app.services.evidence.list().find((e) => e.kind === 'profile')!;
    expect(entry).toMatchObject({ subject: 'utility-sample', payload: { hash } });
    expect(app.services.profiles.state('utility-sample')).toMatchObject({ state: 'applied', stored: true });
  });

  it('when learning is watched, then it reports each table read and then each column learned, once and in order', async () => {
    app = buildTestApp({ customers: 100 });
    const events: Array<{ stage: string; done: number; total: number }> = [];
    const { profile } = await app.services.profiles.learn('utility-sample', { onProgress: (p) => events.push({ ...p }) });
    const tables = Object.keys(profile.rowsPerTable).length;
    const steps = (stage: string, total: number) => Array.from({ length: total }, (_, i) => ({ stage, done: i + 1, total }));
    expect(tables).toBe(5);
    expect(events).toEqual([...steps('read', tables), ...steps('learn', profile.columns.length)]);
  });

  it('when the schema changed after learning, then the profile is refused with a warning and canaries use declared formats', async () => {
    const dir = tempDir('tracer-schema-');
    const env = { TRACER_DB: path.join(dir, 'tracer.db'), UTILITY_DB: path.join(dir, 'utility.db') };
    const first = buildTestApp({ customers: 100, env });
    await first.services.profiles.learn('utility-sample');
    await first.close();
    const db = new Database(env.UTILITY_DB);
    db.exec('ALTER TABLE service_tickets ADD COLUMN sla_due TEXT');
    db.close();
    app = buildTestApp({ customers: 100, env });
    expect(app.services.profiles.state('utility-sample')).toMatchObject({ state: 'applied' });
    const channel = app.services.channels.create({ name: 'A', kind: 'call-centre-vendor', target: 'utility-sample', routing: { queue: 'CC-DAY' } });
    const [canary] = await app.services.canaries.create({ channelIds: [channel.id], count: 1 });
    expect(app.services.profiles.state('utility-sample')).toMatchObject({ state: 'refused', warning: expect.stringMatching(/older than the target's schema/) });
    // Declared formats: the phone as the mapping renders it, the reference as the generator drew it.
    const row = new Database(env.UTILITY_DB, { readonly: true }).prepare('SELECT contact_phone FROM service_tickets ORDER BY ticket_id DESC LIMIT 1').get() as { contact_phone: string };
    expect(row.contact_phone).toMatch(/^05\d \d{3} \d{4}$/);
    expect(canary).toBeDefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when the stored profile is damaged, then it is not used and the target says so', async () => {
    app = buildTestApp({ customers: 100 });
    await app.services.profiles.learn('utility-sample');
    app.services.db.prepare(`UPDATE target_profiles SET profile = replace(profile, '"phone"', '"fone"')`).run();
    expect(app.services.profiles.load('utility-sample')).toBeUndefined();
    expect(app.services.profiles.state('utility-sample')).toMatchObject({ state: 'refused' });
  });

  it('when a target cannot be read or has too few rows, then learning fails with a clear message and nothing is stored', async () => {
    const dir = tempDir('tracer-learn-');
    const empty = path.join(dir, 'empty.db');
    const d = new Database(empty);
    d.exec(UTILITY_SCHEMA);
    fillSampleUtility(d, 5, 'ar-SA', 1);
    d.close();
    const { utilityMappingJson } = await import('../../src/utility-sample/mapping.ts');
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(dir, [
      { name: 'tiny', kind: 'sqlite', file: empty, mapping: utilityMappingJson() },
      { name: 'gone', kind: 'sqlite', file: path.join(dir, 'missing', 'nothing.db'), mapping: utilityMappingJson() },
    ]) } });
    await expect(app.services.profiles.learn('tiny')).rejects.toMatchObject({ code: 'profile-too-few-rows', message: expect.stringMatching(/declared formats/) });
    await expect(app.services.profiles.learn('gone')).rejects.toMatchObject({ message: expect.stringMatching(/nothing learned; canaries keep using declared formats/) });
    expect(app.services.profiles.load('tiny')).toBeUndefined();
    expect(app.services.evidence.list().filter((e) => e.kind === 'profile')).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
