// The CLI as scripts and people use it: strict flags, roles, streams, pipes, backups.
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHarness } from '../support/cli.ts';

const h = cliHarness('tracer-cli14-');
afterAll(h.cleanup);
const repoRoot = path.resolve(import.meta.dirname, '../..');

beforeAll(async () => {
  await h.tracer('channels', 'create', '--name', 'Vendor A', '--kind', 'call-centre-vendor');
  await h.tracer('canaries', 'create', '--channel', 'Vendor A', '--count', '60', '--yes');
}, 120_000);

describe('strict flags', () => {
  it('when --count is not a whole number, then it is refused instead of rounded', async () => {
    const e = await h.fails('canaries', 'create', '--channel', 'Vendor A', '--count', '1.5');
    expect(e.stderr).toMatch(/^error: invalid-request: --count: expected a whole number/);
  });

  it('when hits are filtered by a classification that does not exist, then an error, not an empty list', async () => {
    const e = await h.fails('hits', 'list', '--classification', 'bogus');
    expect(e.code).not.toBe(0);
    expect(e.stderr).toMatch(/^error: invalid-request: --classification/);
  });

  it('when a campaign would cost more a month than the threshold, then the cost is shown and nothing is made without --yes', async () => {
    const e = await h.fails('canaries', 'create', '--channel', 'Vendor A', '--count', '10');
    expect(e.stderr).toContain('monthly cost: 10 number(s) × 20 USD = 200 USD');
    expect(e.stderr).toMatch(/error: cost-confirmation-required: .*--yes/);
    expect((await h.json('canaries', 'list')).canaries).toHaveLength(60);
  }, 30_000);
});

describe('output', () => {
  it('when --version is asked, then the package version', async () => {
    expect((await h.tracer('--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('when a list is piped into a reader that stops early, then the command ends quietly', async () => {
    const child = spawn('node', ['bin/tracer.mjs', 'canaries', 'list', '--format', 'jsonl'], { cwd: repoRoot, env: h.env });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 30_000);

  it('when canaries stream as csv, then every one is a row with the header first, and a --limit page says where more begins', async () => {
    const csv = (await h.tracer('canaries', 'list', '--format', 'csv')).stdout.trim().split('\n');
    expect(csv[0]).toBe('id,phone,name,plantings,created');
    expect(csv).toHaveLength(61);
    // A phone number starts with +: a spreadsheet would read it as a formula.
    expect(csv[1]).toMatch(/^cn_\w+,'\+966/);
    const page = await h.json('canaries', 'list', '--limit', '25');
    expect(page.canaries).toHaveLength(25);
    const next = await h.json('canaries', 'list', '--limit', '50', '--cursor', page.nextCursor);
    expect(next.canaries).toHaveLength(35);
    expect(next.nextCursor).toBeNull();
  }, 30_000);
});

describe('acting with a role', () => {
  it('when TRACER_TOKEN names an investigator token, then registry reads are refused and hits are read under its id', async () => {
    const { token, id } = await h.json('token', 'create', '--role', 'investigator');
    const env = { ...h.env, TRACER_TOKEN: token };
    const run = (...args: string[]) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const c = spawn('node', ['bin/tracer.mjs', ...args], { cwd: repoRoot, env });
      let stderr = '';
      c.stderr.on('data', (d) => (stderr += d));
      c.on('close', (code) => resolve({ code, stderr }));
    });
    const refused = await run('canaries', 'list');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^error: forbidden: role investigator \\(TRACER_TOKEN ${id}\\)`));
    expect((await run('hits', 'list')).code).toBe(0);
    const { token: seeder, id: seederId } = await h.json('token', 'create', '--role', 'seeder');
    await new Promise((resolve) => spawn('node', ['bin/tracer.mjs', 'canaries', 'list', '--limit', '1'], { cwd: repoRoot, env: { ...h.env, TRACER_TOKEN: seeder } }).on('close', resolve));
    const db = new Database(h.env.TRACER_DB!, { readonly: true });
    const last = db.prepare('SELECT actor, role FROM registry_reads ORDER BY id DESC LIMIT 1').get();
    db.close();
    expect(last).toEqual({ actor: seederId, role: 'seeder' });
  }, 60_000);
});

describe('backup and restore at the console', () => {
  it('when a backup is taken and restored, then the restore names the hits and an intact chain, and keeps the old store aside', async () => {
    const dest = path.join(h.dir, 'backup-1.db');
    const b = await h.json('backup', dest);
    expect(b.evidence.ok).toBe(true);
    const r = await h.json('restore', dest);
    expect(r.evidence.ok).toBe(true);
    expect(r.previous).toContain('.before-restore-');
    expect((await h.json('canaries', 'list')).canaries).toHaveLength(60);
  }, 60_000);
});
