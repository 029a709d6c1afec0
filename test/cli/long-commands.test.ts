// Long and many-at-once commands: confirm from an import report, verify with findings first,
// errors that name their fix.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cliHarness } from '../support/cli.ts';
import { writeTargetsFile } from '../support/sql-servers.ts';

const h = cliHarness('tracer-cli-long-', (dir) => ({
  TARGETS_FILE: writeTargetsFile(dir, [
    { name: 'export', kind: 'csv', directory: 'drop', columns: [{ header: 'Ref', value: 'variant.reference' }] },
  ]),
}));
afterAll(h.cleanup);

describe('many at once', () => {
  it('when the import report is given as a file, then each row confirms its planting and a bad row is reported, not fatal', async () => {
    await h.tracer('channels', 'create', '--name', 'Export', '--kind', 'contractor-export', '--target', 'export');
    const made = await h.json('canaries', 'create', '--channel', 'Export', '--count', '3', '--yes');
    const [a, b, c] = made.canaries.map((x: { plantings: Array<{ id: string; variant: { reference: string } }> }) => x.plantings[0]);
    const report = path.join(h.dir, 'import-report.csv');
    fs.writeFileSync(report, `key,ref\n${a.variant.reference},T-1\n${b.variant.reference},T-2\nno-such-key,T-9\n`);
    const e = await h.fails('plantings', 'confirm', '--file', report, '--json');
    expect(e.code).toBe(1);
    const out = JSON.parse(e.stdout);
    expect(out.summary).toEqual({ confirmed: 2, failed: 1 });
    expect(out.results[2]).toMatchObject({ row: 3, outcome: 'failed' });
    const pair = await h.json('plantings', 'confirm', `${c.id}=T-3`);
    expect(pair).toMatchObject({ id: c.id, status: 'planted', externalRef: 'T-3' });
    const planted = await h.json('plantings', 'list', '--status', 'planted');
    expect(planted.plantings.map((p: { externalRef: string }) => p.externalRef).sort()).toEqual(['T-1', 'T-2', 'T-3']);
  }, 90_000);

  it('when one planting of many was altered, then verify prints it first and sums up the rest', async () => {
    await h.tracer('channels', 'create', '--name', 'Sample', '--kind', 'crm');
    await h.tracer('canaries', 'create', '--channel', 'Sample', '--count', '4', '--yes');
    const utility = new Database(h.env.UTILITY_DB!);
    const ref = new Database(h.env.TRACER_DB!, { readonly: true })
      .prepare(`SELECT p.external_ref FROM plantings p JOIN channels c ON c.id = p.channel_id WHERE c.name = 'Sample' ORDER BY p.created_at LIMIT 1 OFFSET 2`).pluck().get();
    utility.prepare(`UPDATE service_tickets SET description = 'changed by someone' WHERE ticket_id = ?`).run(ref);
    utility.close();
    const e = await h.fails('plantings', 'verify');
    const lines = e.stdout.trim().split('\n');
    expect(lines[2]).toContain('altered');
    expect(lines[lines.length - 1]).toMatch(/^verified \d+ planting\(s\): 1 altered, .*\d+ intact/);
  }, 90_000);
});

describe('errors that name the fix', () => {
  it('when simulate finds no server, then it says where it looked and how to start one', async () => {
    const closed = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => closed.once('listening', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const e = await h.fails('simulate', 'call', '--to', '+966593301234', '--from', '+966112345678', '--url', `http://127.0.0.1:${port}`);
    expect(e.stderr.trim()).toBe(`error: server-unreachable: no tracer server at http://127.0.0.1:${port}: start one with \`tracer serve\``);
  });

  it('when the port is taken, then serve says so and names PORT', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    const { execFile } = await import('node:child_process');
    const stderr = await new Promise<string>((resolve) => {
      execFile('node', ['bin/tracer.mjs', 'serve'], { cwd: path.resolve(import.meta.dirname, '../..'), env: { ...h.env, PORT: String(port) } },
        (_err, _out, err) => resolve(err));
    });
    blocker.close();
    expect(stderr.trim()).toBe(`error: port-in-use: port ${port} is in use: set PORT to a free port, or stop what listens there`);
  }, 30_000);
});
