import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { cliHarness } from '../support/cli.ts';

const { env, tracer, fails, cleanup } = cliHarness('tracer-cli-');

afterAll(cleanup);

describe('the tracer CLI', () => {
  it('when a token is created with --json, then it prints {"token": ...} once', async () => {
    const { stdout } = await tracer('token', 'create', '--role', 'admin', '--json');
    const body = JSON.parse(stdout);
    expect(body.token).toMatch(/^ctr_/);
    expect(body.role).toBe('admin');
  });

  it('when channels and canaries are made at the console, then they are listed, and the registry read is audited', async () => {
    const ch = JSON.parse((await tracer('channels', 'create', '--name', 'Vendor A', '--kind', 'call-centre-vendor', '--json')).stdout);
    const made = JSON.parse((await tracer('canaries', 'create', '--channel', 'Vendor A', '--count', '2', '--json')).stdout);
    expect(made.canaries).toHaveLength(2);
    expect(made.canaries[0].plantings[0].channelId).toBe(ch.id);
    const listed = JSON.parse((await tracer('canaries', 'list', '--json')).stdout);
    expect(listed.canaries).toHaveLength(2);
    const report = JSON.parse((await tracer('report', '--json')).stdout);
    // Planted a moment ago and not called: too soon to call it clean.
    expect(report.channels[0].verdict).toBe('undetermined');
    expect(report.channels[0].probability).toBeGreaterThan(0);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(env.TRACER_DB!, { readonly: true });
    const actions = db.prepare('SELECT action FROM registry_reads ORDER BY id').pluck().all();
    db.close();
    expect(actions).toEqual(['create', 'list']);
  }, 60_000);

  it('when something is wrong, then one clear line on stderr and a non-zero exit', async () => {
    const e = await fails('channels', 'create', '--name', 'X', '--kind', 'pigeon');
    expect(e.code).not.toBe(0);
    expect(e.stderr.trim().split('\n')).toHaveLength(1);
    expect(e.stderr).toMatch(/^error: invalid-request: kind/);
    const missing = await fails('canaries', 'show', 'cn_nope');
    expect(missing.stderr).toMatch(/^error: not-found/);
    const badRole = await fails('token', 'create', '--role', 'root');
    expect(badRole.stderr).toMatch(/^error: invalid-request/);
  }, 60_000);

  it('when the auth token is missing from the environment, then it refuses to start and names the setting', async () => {
    try {
      await promisify(execFile)('node', ['bin/tracer.mjs', 'channels', 'list'], { env: { ...env, TWILIO_AUTH_TOKEN: '' }, cwd: path.resolve(import.meta.dirname, '../..') });
      throw new Error('should have failed');
    } catch (err) {
      expect((err as { stderr: string }).stderr).toMatch(/TWILIO_AUTH_TOKEN/);
    }
  });

  it('when identities are sampled with a seed, then the output is a {persona, ticket} array and the same seed repeats it', async () => {
    const a = JSON.parse((await tracer('identities', 'sample', '--locale', 'ar-SA', '--count', '3', '--seed', '42', '--json')).stdout);
    const b = JSON.parse((await tracer('identities', 'sample', '--locale', 'ar-SA', '--count', '3', '--seed', '42', '--json')).stdout);
    expect(a).toEqual(b);
    expect(a).toHaveLength(3);
    expect(Object.keys(a[0].persona)).toEqual(expect.arrayContaining(['fullName', 'fullNameLatin', 'nationalId', 'phone', 'address', 'accountNumber', 'premiseId', 'meterSerial']));
    expect(Object.keys(a[0].ticket).sort()).toEqual(['category', 'createdAt', 'description', 'intakeChannel', 'priority', 'status']);
    const bad = await fails('identities', 'sample', '--locale', 'fr-FR');
    expect(bad.stderr).toMatch(/^error: invalid-request: locale/);
  }, 30_000);

  it('when a campaign is created at the console, then the text output sums it up instead of scrolling every row', async () => {
    const { stdout } = await tracer('canaries', 'create', '--channel', 'Vendor A', '--count', '55', '--yes');
    expect(stdout).toContain('... and 35 more (--json lists them all)');
    expect(stdout).toContain('created 55 canaries with 55 planting(s)');
    expect(stdout.trim().split('\n')).toHaveLength(2 + 20 + 2);
  }, 60_000);

  it('when --help is asked for, then every command documents itself', async () => {
    const { stdout } = await tracer('--help');
    for (const cmd of ['serve', 'migrate', 'channels', 'canaries', 'hits', 'report', 'token', 'simulate', 'demo', 'identities']) expect(stdout).toContain(cmd);
    const sim = await tracer('simulate', 'call', '--help');
    expect(sim.stdout).toContain('--caller-name');
  });
});
