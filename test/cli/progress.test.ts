// Long commands piped to a file or another program: plain progress lines on stderr (stdout stays
// data), and a summary line at the end with the findings first.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { countSummary, outcomeSummary, stagedProgress } from '../../src/cli/progress.ts';
import { cliHarness } from '../support/cli.ts';

const h = cliHarness('tracer-cli-progress-');
afterAll(h.cleanup);

describe('progress and summaries when piped', () => {
  it('when numbers are synced, then the account check and the backfill each print their plain progress lines and the last line sums it up', async () => {
    await h.tracer('numbers', 'provision', '--country', 'US', '--area-code', '202', '--count', '3');

    const { stdout, stderr } = await h.tracer('numbers', 'sync');

    const lines = stderr.trim().split('\n');
    expect(lines).toEqual([1, 2, 3].flatMap((n) => [`numbers reconcile: ${n}/3`, `numbers backfill: ${n}/3`]));
    expect(stdout.trim().split('\n').at(-1)).toBe('synced 3 number(s): all in order');
    const json = await h.tracer('numbers', 'sync', '--json');
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout).summary).toMatchObject({ missing: 0, failed: 0, 'webhooks fixed': 0 });
  }, 60_000);

  it('when a target is learned, then each table read and column learned is reported, and the summary puts columns not learned first', async () => {
    const { stdout, stderr } = await h.tracer('targets', 'learn', 'utility-sample');

    const lines = stderr.trim().split('\n');
    expect(lines.slice(0, 5)).toEqual([1, 2, 3, 4, 5].map((n) => `targets read: ${n}/5`));
    const learned = lines.slice(5);
    expect(learned.every((l) => /^targets learn: \d+\/\d+$/.test(l))).toBe(true);
    const columns = Number(/\/(\d+)$/.exec(learned.at(-1)!)![1]);
    expect(learned.at(-1)).toBe(`targets learn: ${columns}/${columns}`);
    // 30 customers: a sparse column such as the landline has too few values to learn from.
    expect(stdout.trim().split('\n').at(-1)).toMatch(new RegExp(`^learned ${columns} column\\(s\\): \\d+ not learned, \\d+ \\w+`));
    const json = await h.tracer('targets', 'learn', 'utility-sample', '--json');
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout).summary['not learned']).toBeGreaterThan(0);
  }, 60_000);
});

describe('the progress helper', () => {
  it('when stages report on a pipe, then each prints a line every tenth of its way and at its end; quiet prints nothing', () => {
    const written: string[] = [];
    // Plain lines are for a stderr that is no terminal, whatever runs the tests.
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      const bar = stagedProgress('work');
      for (let done = 1; done <= 20; done++) bar.report({ stage: 'first', done, total: 20 });
      bar.report({ stage: 'second', done: 3, total: 3 });
      bar.stop();
      const quiet = stagedProgress('work', true);
      quiet.report({ stage: 'first', done: 20, total: 20 });
    } finally {
      write.mockRestore();
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    expect(written).toEqual([...[2, 4, 6, 8, 10, 12, 14, 16, 18, 20].map((n) => `work first: ${n}/20\n`), 'work second: 3/3\n']);
  });

  it('when outcomes are summed up, then findings come first, the rest by name, zero counts left out', () => {
    expect(outcomeSummary(['intact', 'missing', 'intact', 'altered'], ['altered', 'missing'])).toBe('1 altered, 1 missing, 2 intact');
    expect(countSummary({ released: 2, missing: 0, failed: 1, 'burn-in ended': 3 }, ['missing', 'failed'])).toBe('1 failed, 3 burn-in ended, 2 released');
    expect(countSummary({ missing: 0 }, ['missing'], 'all in order')).toBe('all in order');
  });
});
