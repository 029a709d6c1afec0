import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { csvRecord, neutraliseCell, parseCsv } from '../../src/planting/csv/format.ts';
import { bearer, buildTestApp, createChannel, plant, tempDir, type TestApp } from '../support/app.ts';
import { writeTargetsFile } from '../support/sql-servers.ts';

describe('CSV cells', () => {
  it('when a cell starts with = + - @ TAB or CR, then it is neutralised with a leading quote; other cells are untouched', () => {
    for (const bad of ['=1+1', '+966500000000', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd']) expect(neutraliseCell(bad)).toBe(`'${bad}`);
    for (const ok of ['059 330 0123', 'شارع الجاحظ', "O'Brien", '12 = 12', '']) expect(neutraliseCell(ok)).toBe(ok);
  });

  it('when cells hold delimiters, quotes and line breaks, then they are quoted so a parser reads back exactly the (neutralised) cells', () => {
    const cells = ['a,b', 'say "hi"', 'two\nlines', ' padded ', '=cmd|" /C calc"!A0', 'plain'];
    const line = csvRecord(cells);
    expect(line).toBe('"a,b","say ""hi""","two\nlines"," padded ","\'=cmd|"" /C calc""!A0",plain\r\n');
    expect(parseCsv(line + csvRecord(['x']))).toEqual([[...cells.slice(0, 4), `'${cells[4]}`, 'plain'], ['x']]);
  });
});

describe('the CSV connector', () => {
  let app: TestApp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await app?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    app = dir = undefined;
  });

  const drop = () => path.join(dir!, 'drop');
  async function setup(o: { withdraw?: boolean } = {}) {
    dir = tempDir('tracer-csv-');
    const target = {
      name: 'contractor-b', kind: 'csv', directory: 'drop', fileName: 'work-orders-{date}.csv', keyColumn: 'ExtRef',
      columns: [
        { header: 'ExtRef', value: 'variant.reference' }, { header: 'Customer', value: 'variant.fullName' },
        { header: 'Phone', value: 'persona.phone.national' }, { header: 'Account', value: 'persona.accountNumber' },
        { header: 'Problem', value: 'variant.description' }, { header: 'Team', value: 'routing.team' },
        { header: 'Raised', value: 'ticket.createdAt | local-datetime' },
      ],
      ...(o.withdraw ? { withdraw: { fileName: 'closures-{date}.csv', columns: [{ header: 'TicketNo', value: 'externalRef' }, { header: 'Status', value: "'CLOSED'" }] } } : {}),
    };
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(dir, [target]) } });
    const ch = await createChannel(app, { name: 'Contractor B export', kind: 'contractor-export', target: 'contractor-b', routing: { team: '=HYPERLINK("http://x.example","open")' } });
    return { app, ch };
  }
  const post = (a: TestApp, p: string, body: object = {}) => request(a.http).post(`/api/v1${p}`).set(bearer(a.tokens.seeder)).send(body);
  const fileRows = (name: string) => parseCsv(fs.readFileSync(path.join(drop(), name), 'utf8'));
  const importFile = () => fs.readdirSync(drop()).find((f) => f.startsWith('work-orders-'))!;

  it('when canaries are planted, then rows in the utility layout land in the import file and each planting awaits confirmation', async () => {
    const { app, ch } = await setup();
    const [a, b] = await plant(app, [ch.id], 2);
    expect(importFile()).toBe('work-orders-2026-11-28.csv');
    const rows = fileRows(importFile());
    expect(rows[0]).toEqual(['ExtRef', 'Customer', 'Phone', 'Account', 'Problem', 'Team', 'Raised']);
    expect(rows).toHaveLength(3);
    const canary = app.services.canaries.get(a!.id);
    const p = canary.plantings[0]!;
    expect(p).toMatchObject({ status: 'awaiting-confirmation', externalRef: null, plantedAt: null });
    expect(rows[1]).toEqual([p.variant.reference, p.variant.fullName, canary.persona.phone.national, canary.persona.accountNumber,
      p.variant.description, '\'=HYPERLINK("http://x.example","open")', canary.ticket.createdAt.slice(0, 19).replace('T', ' ')]);
    expect(app.services.canaries.get(b!.id).plantings[0]!.status).toBe('awaiting-confirmation');
    // Not planted until confirmed (nothing for attribution yet), but the file's existence is evidence.
    expect(app.services.evidence.list().filter((e) => e.kind === 'planting')).toHaveLength(0);
    expect(app.services.evidence.list().filter((e) => e.kind === 'planting-prepared').map((e) => e.subject)).toEqual([p.id, app.services.canaries.get(b!.id).plantings[0]!.id]);
  });

  it('when staff confirm the import with the ticket number, then the planting is planted at that time and logged as evidence', async () => {
    const { app, ch } = await setup();
    const [c] = await plant(app, [ch.id]);
    const id = app.services.canaries.get(c!.id).plantings[0]!.id;
    app.clock.advanceMinutes(60);
    const res = await post(app, `/plantings/${id}/confirm`, { ref: 'WO-77812', at: '2026-11-28T12:30:00+03:00' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'planted', externalRef: 'WO-77812', plantedAt: '2026-11-28T09:30:00.000Z' });
    expect(app.services.evidence.list().filter((e) => e.kind === 'planting').map((e) => e.subject)).toEqual([id]);
    const again = await post(app, `/plantings/${id}/confirm`, { ref: 'WO-77812' });
    expect(again.status).toBe(409);
  });

  it('when the confirmation time is in the future or before the file was written, then it is refused', async () => {
    const { app, ch } = await setup();
    const [c] = await plant(app, [ch.id]);
    const id = app.services.canaries.get(c!.id).plantings[0]!.id;
    expect((await post(app, `/plantings/${id}/confirm`, { ref: 'WO-1', at: '2026-11-29T09:00:00Z' })).body.error).toBe('invalid-request');
    expect((await post(app, `/plantings/${id}/confirm`, { ref: 'WO-1', at: '2026-11-27T09:00:00Z' })).body.error).toBe('invalid-request');
    expect((await post(app, `/plantings/${id}/confirm`, { ref: 'WO-1', at: 'yesterday' })).body.error).toBe('invalid-request');
  });

  it('when the import file is edited, cut or archived, then verify reports altered, missing, or that it cannot tell', async () => {
    const { app, ch } = await setup();
    const [c] = await plant(app, [ch.id]);
    const p = app.services.canaries.get(c!.id).plantings[0]!;
    await post(app, `/plantings/${p.id}/confirm`, { ref: 'WO-5' });
    expect((await post(app, '/plantings/verify')).body.results[0].state).toBe('intact');
    const file = path.join(drop(), importFile());
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(p.variant.fullName, 'Edited Name'));
    expect((await post(app, '/plantings/verify')).body.results[0]).toMatchObject({ state: 'altered', differences: [{ field: 'Customer', found: 'Edited Name' }] });
    fs.writeFileSync(file, 'ExtRef,Customer\r\n');
    expect((await post(app, '/plantings/verify')).body.results[0].state).toBe('missing');
    fs.rmSync(file);
    expect((await post(app, '/plantings/verify')).body.results[0].state).toBe('unverifiable');
  });

  it('when a canary is withdrawn before the import, then only its row leaves the file', async () => {
    const { app, ch } = await setup();
    const [a, b] = await plant(app, [ch.id], 2);
    const res = await post(app, `/canaries/${a!.id}/withdraw`);
    expect(res.body.results[0]).toMatchObject({ outcome: 'withdrawn', note: expect.stringContaining('row removed') });
    const rows = fileRows(importFile());
    expect(rows.map((r) => r[0])).toEqual(['ExtRef', app.services.canaries.get(b!.id).plantings[0]!.variant.reference]);
    expect(app.services.canaries.get(a!.id).plantings[0]!.status).toBe('withdrawn');
  });

  it('when an imported canary is withdrawn, then a closing row for its ticket is written for staff to import', async () => {
    const { app, ch } = await setup({ withdraw: true });
    const [c] = await plant(app, [ch.id]);
    const id = app.services.canaries.get(c!.id).plantings[0]!.id;
    await post(app, `/plantings/${id}/confirm`, { ref: 'WO-9' });
    const res = await post(app, `/canaries/${c!.id}/withdraw`);
    expect(res.body.results[0].note).toContain('closing row for ticket WO-9');
    expect(fileRows('closures-2026-11-28.csv')).toEqual([['TicketNo', 'Status'], ['WO-9', 'CLOSED']]);
  });
});
