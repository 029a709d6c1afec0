import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, createChannel, tempDir, type TestApp } from '../support/app.ts';
import { freshPostgres, writeTargetsFile, type FreshDb } from '../support/sql-servers.ts';
import { crmTarget, startFakeCrm, type FakeCrm } from './fake-crm.ts';

describe('a dry run', () => {
  let db: FreshDb | undefined;
  let crm: FakeCrm | undefined;
  let app: TestApp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await app?.dispose();
    await db?.drop();
    await crm?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    app = db = crm = dir = undefined;
  });

  it('when a creation is dry-run across SQL, HTTP, CSV and phone targets, then it shows the exact writes and makes none', async () => {
    db = await freshPostgres();
    crm = await startFakeCrm();
    dir = tempDir('tracer-dry-');
    const file = writeTargetsFile(dir, [
      db.target('cis'),
      crmTarget(crm),
      { name: 'export', kind: 'csv', directory: 'drop', columns: [{ header: 'Ref', value: 'variant.reference' }, { header: 'Name', value: 'variant.fullName' }] },
      { name: 'phone', kind: 'intake-call', intakeLine: '920 001 234' },
    ]);
    app = buildTestApp({ env: { TARGETS_FILE: file, CRM_TOKEN: crm.token } });
    const channels = [
      await createChannel(app, { name: 'CIS day', kind: 'call-centre-vendor', target: 'cis', routing: { queue: 'CC-DAY' } }),
      await createChannel(app, { name: 'CIS field', kind: 'work-order-feed', target: 'cis', routing: { queue: 'FIELD-OPS' } }),
      await createChannel(app, { name: 'CRM', kind: 'crm', target: 'crm', routing: { queue: 'Q7' } }),
      await createChannel(app, { name: 'Export', kind: 'contractor-export', target: 'export' }),
      await createChannel(app, { name: 'Phone', kind: 'call-centre-vendor', target: 'phone' }),
    ];
    const tables = ['customers', 'premises', 'accounts', 'meters', 'service_tickets'];
    const before = await Promise.all(tables.map((t) => db!.count(t)));

    const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder))
      .send({ channelIds: channels.map((c) => c.id), count: 2, dryRun: true });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, count: 2, shown: 2 });
    const [first] = res.body.canaries;
    const [cisDay, cisField, viaCrm, viaCsv, viaPhone] = first.plantings;
    const sql = cisDay.steps.map((s: { sql: string }) => s.sql);
    expect(sql[0]).toBe('BEGIN');
    expect(sql[1]).toBe('INSERT INTO "customers" ("full_name", "full_name_latin", "national_id", "mobile", "landline", "created_at") VALUES ($1, $2, $3, $4, $5, $6) RETURNING "customer_id", "mobile"');
    expect(sql.at(-1)).toBe('COMMIT');
    const accounts = cisDay.steps.find((s: { sql: string }) => s.sql.startsWith('INSERT INTO "accounts"'));
    expect(accounts.params).toEqual([first.persona.accountNumber, '<generated customers.customer_id>', first.persona.premiseId, first.persona.openedAt.slice(0, 10)]);
    // Values only ever travel as parameters.
    expect(sql.join('\n')).not.toContain(first.persona.accountNumber);
    // The second channel into the same database reuses the customer rows: only its ticket is new.
    expect(cisField.steps.map((s: { sql: string }) => s.sql.split(' (')[0])).toEqual(['BEGIN', 'INSERT INTO "service_tickets"', 'COMMIT']);
    expect(viaCrm.steps[0]).toMatchObject({ action: 'http', method: 'POST', url: `${crm.url}/api/v2/tickets`, headers: { Authorization: '<from environment>' } });
    expect(JSON.stringify(res.body)).not.toContain(crm.token);
    expect(viaCsv.steps[0]).toMatchObject({ action: 'csv-row', file: path.join(dir, 'drop', 'tickets-2026-11-28.csv') });
    expect(viaPhone.steps[0].script).toContain('920 001 234');

    expect(await Promise.all(tables.map((t) => db!.count(t)))).toEqual(before);
    for (const t of ['canaries', 'canary_numbers', 'plantings', 'evidence_log']) {
      expect(app.services.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get(), t).toBe(0);
    }
    expect(crm.requests).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'drop'))).toBe(false);
  });
});
