import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cliHarness } from '../support/cli.ts';

// Canaries planted with no profile, all on numbers from one block: the panel must see them.
const cli = cliHarness('tracer-audit-cli-', { UTILITY_SAMPLE_CUSTOMERS: '600', SIM_NUMBER_RANGES: 'SA:+966593300000-+966593399999' });
afterAll(() => cli.cleanup());

describe('tracer plantings audit and tracer targets learn', () => {
  it('when canaries stand out, then the audit names what gives them away, prints no real value and exits 1', async () => {
    await cli.tracer('channels', 'create', '--name', 'Vendor A', '--kind', 'call-centre-vendor', '--queue', 'CC-DAY');
    await cli.tracer('canaries', 'create', '--channel', 'Vendor A', '--count', '60', '--yes');
    const failed = await cli.fails('plantings', 'audit', '--target', 'utility-sample');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/values .*TELLS THEM APART.*mobile: prefix/);
    const db = new Database(path.join(cli.dir, 'utility.db'), { readonly: true });
    const names = db.prepare('SELECT full_name FROM customers LIMIT 200').pluck().all() as string[];
    const phones = db.prepare('SELECT mobile FROM customers LIMIT 200').pluck().all() as string[];
    db.close();
    for (const v of [...names, ...phones]) expect(failed.stdout).not.toContain(v);

    const report = JSON.parse((await cli.fails('plantings', 'audit', '--target', 'utility-sample', '--json')).stdout);
    expect(report).toMatchObject({ canaries: 60, pass: false });
    const values = report.detectors.find((d: { detector: string }) => d.detector === 'values');
    expect(values.auc).toBeGreaterThan(0.65);
    expect(values.low).toBeLessThanOrEqual(values.auc);
  }, 120_000);

  it('when a target is learned at the console, then its profile is shown and kept, and bad flags are refused', async () => {
    const out = await cli.tracer('targets', 'learn', 'utility-sample');
    expect(out.stdout).toMatch(/service_tickets\.contact_phone\s+phone\s+0%\s+written ### ### ####/);
    expect(out.stdout).toMatch(/profile hash [0-9a-f]{64}/);
    const shown = await cli.json('targets', 'profile', 'utility-sample');
    expect(shown.state).toMatchObject({ state: 'applied', stored: true });
    const bad = await cli.fails('targets', 'learn', 'utility-sample', '--limit', '5');
    expect(bad.stderr).toMatch(/^error: invalid-request: .*limit/);
    const unknown = await cli.fails('targets', 'learn', 'nowhere');
    expect(unknown.stderr).toMatch(/^error: unknown-target:/);
  }, 120_000);
});
