// `tracer cases …`, `tracer evidence export|verify-bundle`, `tracer keys show` as a person or a script runs them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cliHarness } from '../support/cli.ts';

const { dir, tracer, json, fails, cleanup } = cliHarness('tracer-cases-cli-');
afterAll(cleanup);
const repoRoot = path.resolve(import.meta.dirname, '../..');

/** verify-bundle as a recipient runs it: no tracer configuration, no database. */
async function verifyAlone(...args: string[]): Promise<{ code: number; stdout: string }> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  try {
    const r = await promisify(execFile)('node', ['bin/tracer.mjs', 'evidence', 'verify-bundle', ...args], { env, cwd: repoRoot });
    return { code: 0, stdout: r.stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout + err.stderr };
  }
}

describe('tracer cases and bundles', () => {
  it('when a case is opened, noted, reported and exported, then the bundle verifies offline with the public key, and a tampered copy fails with exit 1 naming the file', async () => {
    const ch = await json('channels', 'create', '--name', 'Vendor A', '--kind', 'call-centre-vendor');
    await json('canaries', 'create', '--channel', ch.id, '--count', '2');
    const c = await json('cases', 'create', '--title', 'Vendor A leak', '--channel', 'Vendor A');
    expect(c).toMatchObject({ title: 'Vendor A leak', status: 'open', canaries: 2 });
    await tracer('cases', 'note', c.id, 'Asked the vendor for their export logs.');
    // Parties: linked at opening (--party on create) and afterwards (cases link --party); an unknown one is refused, nothing linked.
    const p = await json('parties', 'create', '--name', 'Najm Collections', '--number', '+966112345678');
    expect((await fails('cases', 'link', c.id, '--channel', 'Vendor A', '--party', 'pty_nope')).stderr).toMatch(/^error: unknown-party: party "pty_nope" does not exist/);
    const linked = await json('cases', 'link', c.id, '--party', p.id);
    expect(linked.links.map((l: { kind: string; ref: string }) => `${l.kind}:${l.ref}`)).toEqual([`channel:${ch.id}`, `party:${p.id}`]);
    const other = await json('cases', 'create', '--title', 'The firm', '--party', p.id);
    expect(other.links).toEqual([expect.objectContaining({ kind: 'party', ref: p.id })]);
    await json('cases', 'update', c.id, '--status', 'reported', '--real-records-exposed', '310');
    const shown = await json('cases', 'show', c.id);
    expect(shown.notes[0].text).toBe('Asked the vendor for their export logs.');
    expect(shown.notice).toEqual({ realRecordsExposed: '310' });

    const html = path.join(dir, 'report-ar.html');
    await tracer('cases', 'report', c.id, '--format', 'html', '--lang', 'ar', '--out', html);
    expect(fs.readFileSync(html, 'utf8')).toContain('<html lang="ar" dir="rtl">');
    expect((await fails('cases', 'report', c.id, '--format', 'html', '--out', html)).stderr).toMatch(/^error: out-exists: /);

    const zip = path.join(dir, 'case.zip');
    const made = await json('evidence', 'export', '--case', c.id, '--out', zip);
    expect(made).toMatchObject({ format: 'zip', files: 10 });
    const key = await json('keys', 'show');
    fs.writeFileSync(path.join(dir, 'key.pem'), key.publicKeyPem);
    const ok = await verifyAlone(zip, '--public-key', path.join(dir, 'key.pem'));
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toMatch(/^bundle verifies: 10 files/);
    expect(ok.stdout).toMatch(/\nwithheld entries \(other cases'\): \d+ recomputed from their body digests/);

    const bag = path.join(dir, 'bag');
    await tracer('evidence', 'export', '--case', c.id, '--out', bag);
    expect((await fails('evidence', 'export', '--case', c.id, '--out', bag)).stderr).toMatch(/^error: out-exists: /);
    expect((await fails('evidence', 'export', '--case', 'case_nope', '--out', path.join(dir, 'x'))).stderr).toMatch(/^error: not-found: case "case_nope"/);
    fs.appendFileSync(path.join(bag, 'data/plantings.jsonl'), '{}\n');
    const bad = await verifyAlone(bag, '--public-key', path.join(dir, 'key.pem'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/bundle does NOT verify: data\/plantings\.jsonl does not match its hash/);
  }, 300_000);

  it('when the report is exported as CSV, then it is rows with a header', async () => {
    const { stdout } = await tracer('report', '--format', 'csv');
    expect(stdout.split('\r\n')[0]).toBe('channelId,name,kind,verdict,probability,exposedCanaries,canariesCalled,hits,firstContactMinutes,partyNumber,partyName,callersTotal,reasons,evidenceHitIds');
  }, 30_000);
});
