// `tracer numbers …` as a person or a script runs it: a real process on a temp store, simulated provider.
import { afterAll, describe, expect, it } from 'vitest';
import { cliHarness } from '../support/cli.ts';

const { tracer, json, fails, cleanup } = cliHarness('tracer-numbers-cli-', { UTILITY_SAMPLE_CUSTOMERS: '20', NUMBERS_MONTHLY_BUDGET: '5' });

afterAll(cleanup);

describe('tracer numbers', () => {
  it('when numbers are provisioned, listed, shown, released and synced with --json, then each prints the data', async () => {
    const made = await json('numbers', 'provision', '--country', 'US', '--area-code', '202', '--count', '2');
    const listed = await json('numbers', 'list');
    const shown = await json('numbers', 'show', made.numbers[0].phoneNumber);
    const released = await json('numbers', 'release', made.numbers[0].id);
    const synced = await json('numbers', 'sync');
    const after = await json('numbers', 'list');

    expect(made.numbers).toHaveLength(2);
    expect(made.numbers[0]).toMatchObject({ country: 'US', status: 'burn-in', monthlyPrice: 1.15, currency: 'USD' });
    expect(listed).toMatchObject({ provider: 'simulated', monthlyTotals: [{ currency: 'USD', amount: 2.3, unpriced: 0 }] });
    expect(listed.numbers.map((n: { id: string }) => n.id)).toEqual(made.numbers.map((n: { id: string }) => n.id));
    expect(shown).toMatchObject({ id: made.numbers[0].id, hits: 0, canaryId: null });
    expect(released).toMatchObject({ id: made.numbers[0].id, status: 'released' });
    expect(synced.reconcile).toMatchObject({ onAccount: 1, held: 1, missing: [], webhooksFixed: [] });
    expect(after.monthlyTotals).toEqual([{ currency: 'USD', amount: 1.15, unpriced: 0 }]);
  }, 60_000);

  it('when listed for a person, then the table shows each number’s cost and the monthly total', async () => {
    const { stdout } = await tracer('numbers', 'list');

    expect(stdout).toMatch(/cost\/month/);
    expect(stdout).toMatch(/1\.15 USD/);
    expect(stdout).toMatch(/Monthly total: [\d.]+ USD/);
  }, 30_000);

  it('when provisioning would pass the budget or the input is bad, then one clear line and a non-zero exit', async () => {
    const over = await fails('numbers', 'provision', '--country', 'US', '--count', '5');
    const bad = await fails('numbers', 'provision', '--country', 'USA');
    const unknown = await fails('numbers', 'show', 'num_nope');

    expect(over.code).not.toBe(0);
    expect(over.stderr.trim().split('\n')).toHaveLength(1);
    expect(over.stderr).toMatch(/^error: over-budget: .*NUMBERS_MONTHLY_BUDGET=5.*nothing bought/);
    expect(bad.stderr).toMatch(/^error: invalid-request: country/);
    expect(unknown.stderr).toMatch(/^error: not-found/);
  }, 60_000);

  it('when --help is asked for, then numbers and each of its commands document themselves', async () => {
    const top = (await tracer('--help')).stdout;
    const numbers = (await tracer('numbers', '--help')).stdout;
    const provision = (await tracer('numbers', 'provision', '--help')).stdout;

    expect(top).toContain('numbers');
    for (const cmd of ['provision', 'list', 'show', 'release', 'sync']) expect(numbers).toContain(cmd);
    for (const flag of ['--country', '--type', '--area-code', '--contains', '--count', '--json']) expect(provision).toContain(flag);
  }, 30_000);
});
