import { afterAll, afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';
import { cliHarness } from '../support/cli.ts';
import { parseCsv } from '../../src/planting/csv/format.ts';
import { PartyRepository } from '../../src/parties/repository.ts';

// Party names are written by the people we trace (a proposed party takes its callers' name):
// every way a spreadsheet cell could start a formula, a tab, a CR, a bidi override, a quote and a line break.
const HOSTILE = ["=cmd|' /C calc'!A0", '+SUM(1+1)', '-2+3', '@SUM(A1)', '\tTab first', '\rCR first', '\u202eevil\u202c', 'Najm, "quoted"\nline'];
const FORMULA_START = /^[=+\-@\t\r]/;

const binary = (r: any, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  r.on('data', (c: Buffer) => chunks.push(c));
  r.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('parties list as CSV and JSON lines (API)', () => {
  let app: TestApp;
  afterEach(() => app?.dispose());

  it('when the parties are asked for as CSV with a BOM and as JSON lines, then every party is a row, no name cell can run as a formula, and the JSON keeps each name exactly', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const [k] = await plant(app, [ch.id], 1);
    const repo = new PartyRepository(app.services.db);
    HOSTILE.forEach((name, i) => repo.insert({ id: `pty_h${i}`, name, status: 'proposed', grounds: [{ kind: 'caller-name', value: name, numbers: [`+96650111000${i}`] }],
      numbers: [`+96650111000${i}`], createdAt: `2026-11-28T09:0${i}:00.000Z` }));
    app.clock.advanceMinutes(5);
    expect((await signedWebhook(app, '/twilio/voice', callParams(k!.phoneNumber, '+966501110000'))).status).toBe(200);

    const inv = bearer(app.tokens.investigator);
    const csv = await request(app.http).get('/api/v1/parties?format=csv&bom=true').set(inv);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('parties.csv');
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual(['id', 'name', 'status', 'numbers', 'grounds', 'calls', 'sms', 'firstContact', 'lastContact', 'createdAt', 'updatedAt']);
    const body = rows.slice(1);
    expect(body.map((r) => r[0])).toEqual(HOSTILE.map((_, i) => `pty_h${i}`));
    for (const r of body) for (const cell of r) expect(cell).not.toMatch(FORMULA_START);
    expect(body.map((r) => r[1])).toEqual(["'=cmd|' /C calc'!A0", "'+SUM(1+1)", "'-2+3", "'@SUM(A1)", '<U+0009>Tab first', '<U+000D>CR first', '<U+202E>evil<U+202C>',
      'Najm, "quoted"<U+000A>line']);
    expect(body[0]!.slice(5, 8)).toEqual(['1', '0', '2026-11-28T09:05:00.000Z']); // the call from the first party's number
    expect(csv.text).not.toContain('\u202e');

    const plain = await request(app.http).get('/api/v1/parties?format=csv').set(inv);
    expect(plain.text.charCodeAt(0)).not.toBe(0xfeff);

    const jsonl = await request(app.http).get('/api/v1/parties?format=jsonl').set(inv).buffer(true).parse(binary);
    expect(jsonl.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const text = jsonl.body.toString('utf8');
    expect(text).not.toMatch(/[\u202a-\u202e]/); // escaped as \u202e, still the same JSON
    const lines = text.trim().split('\n').map((l: string) => JSON.parse(l));
    expect(lines.map((l: { name: string }) => l.name)).toEqual(HOSTILE);
    expect(lines[0]).toMatchObject({ id: 'pty_h0', status: 'proposed', numbers: ['+966501110000'], calls: 1, sms: 0 });

    expect((await request(app.http).get('/api/v1/parties').set(inv)).body.parties).toHaveLength(HOSTILE.length);
    expect((await request(app.http).get('/api/v1/parties?format=xml').set(inv)).body.error).toBe('invalid-request');
    expect((await request(app.http).get('/api/v1/parties?format=csv').set(bearer(app.tokens.seeder))).status).toBe(403);
  });
});

describe('tracer parties list --format csv|jsonl', () => {
  const cli = cliHarness('tracer-parties-export-');
  afterAll(() => cli.cleanup());

  it('when a console user exports the parties, then CSV (with --bom) neutralises every formula start and JSON lines keep the names', async () => {
    const names = ["=cmd|' /C calc'!A0", '+SUM(1+1)', '-2+3', '@SUM(A1)', 'x\u202eevil'];
    for (const [i, name] of names.entries()) await cli.json('parties', 'create', '--name', name, '--number', `+96650111000${i}`);
    const csv = (await cli.tracer('parties', 'list', '--format', 'csv', '--bom')).stdout;
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(csv).slice(1);
    expect(rows.map((r) => r[1])).toEqual(["'=cmd|' /C calc'!A0", "'+SUM(1+1)", "'-2+3", "'@SUM(A1)", 'x<U+202E>evil']);
    const jsonl = (await cli.tracer('parties', 'list', '--format', 'jsonl')).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(jsonl.map((p) => p.name)).toEqual(names);
    expect((await cli.fails('parties', 'list', '--format', 'xml')).stderr).toContain('invalid');
  }, 120_000);
});
