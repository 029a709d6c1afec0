import { afterAll, describe, expect, it } from 'vitest';
import { cliHarness } from '../support/cli.ts';
import { writeTargetsFile } from '../support/sql-servers.ts';

const { tracer, json, fails, cleanup } = cliHarness('tracer-plantings-cli-', (dir) => ({
  TARGETS_FILE: writeTargetsFile(dir, [
    { name: 'phone', kind: 'intake-call', intakeLine: '920 001 234' },
    { name: 'export', kind: 'csv', directory: 'drop', columns: [{ header: 'Ref', value: 'variant.reference' }] },
    { name: 'cis-down', kind: 'postgres', host: '127.0.0.1', port: 1, database: 'cis', user: 'tracer', connectTimeoutMs: 1000,
      mapping: { tables: [{ table: 'service_tickets', key: 'ticket_id', generated: true, columns: { reference: 'variant.reference' } }] } },
  ]),
}));

afterAll(cleanup);

describe('the plantings CLI', () => {
  it('when --help is asked for, then the planting commands document themselves', async () => {
    const top = (await tracer('plantings', '--help')).stdout;
    for (const cmd of ['list', 'script', 'confirm', 'verify', 'reconcile', 'targets']) expect(top).toContain(cmd);
    expect((await tracer('canaries', '--help')).stdout).toContain('withdraw');
    expect((await tracer('canaries', 'create', '--help')).stdout).toContain('--dry-run');
  });

  it('when a canary is planted by phone at the console, then the dry run writes nothing, the script prints, and confirm records the ticket', async () => {
    await tracer('channels', 'create', '--name', 'Vendor A', '--kind', 'call-centre-vendor', '--target', 'phone');
    const dry = await json('canaries', 'create', '--channel', 'Vendor A', '--dry-run');
    expect(dry.dryRun).toBe(true);
    expect(dry.canaries[0].plantings[0].steps[0].action).toBe('phone-call');
    expect((await json('canaries', 'list')).canaries).toEqual([]);

    const made = await json('canaries', 'create', '--channel', 'Vendor A');
    const planting = made.canaries[0].plantings[0];
    expect(planting.status).toBe('awaiting-confirmation');
    const script = (await tracer('plantings', 'script', planting.id)).stdout;
    expect(script).toContain('اتصل على: 920 001 234');
    expect(script).toContain(`tracer plantings confirm ${planting.id}`);
    const confirmed = await json('plantings', 'confirm', planting.id, '--ref', '2611-0042', '--at', new Date().toISOString());
    expect(confirmed).toMatchObject({ status: 'planted', externalRef: '2611-0042' });
    const withdrawn = await json('canaries', 'withdraw', made.canaries[0].id);
    expect(withdrawn.results[0]).toMatchObject({ outcome: 'withdrawn', note: expect.stringContaining('2611-0042') });
  }, 90_000);

  it('when targets are checked, then each says ok or why not, and a failing one makes the exit non-zero', async () => {
    const e = await fails('plantings', 'targets', '--check', '--json');
    expect(e.code).toBe(1);
    const { targets } = JSON.parse(e.stdout);
    expect(targets.find((t: { name: string }) => t.name === 'utility-sample')).toMatchObject({ ok: true, kind: 'sqlite' });
    expect(targets.find((t: { name: string }) => t.name === 'cis-down')).toMatchObject({ ok: false, error: expect.stringMatching(/^target "cis-down": cannot reach the database/) });
  }, 30_000);

  it('when a planting does not exist, then one clear line and a non-zero exit', async () => {
    const e = await fails('plantings', 'confirm', 'pl_nope', '--ref', '1');
    expect(e.code).not.toBe(0);
    expect(e.stderr.trim().split('\n')).toHaveLength(1);
    expect(e.stderr).toMatch(/^error: not-found: planting "pl_nope" does not exist/);
  });
});
