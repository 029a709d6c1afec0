import { afterAll, describe, expect, it } from 'vitest';
import { cliHarness } from '../support/cli.ts';

describe('tracer parties', () => {
  const cli = cliHarness('tracer-parties-cli-');
  afterAll(() => cli.cleanup());

  it('when a console user creates, merges, splits, renames and notes, then the party changes, and bad acts fail with their codes', async () => {
    expect((await cli.fails('parties', 'rename', 'pty_nope', 'X')).stderr).toContain('error: unknown-party');
    const a = await cli.json('parties', 'create', '--name', 'Firm A', '--number', '+966501110001', '--number', '+966501110002');
    const b = await cli.json('parties', 'create', '--name', 'Firm B', '--number', '+966501110003');
    expect((await cli.fails('parties', 'merge', a.id, '--from', a.id)).stderr).toContain('error: party-merge-self');
    await cli.tracer('parties', 'merge', a.id, '--from', b.id);
    expect((await cli.fails('parties', 'split', a.id, '--number', '+966501110001', '--number', '+966501110002', '--number', '+966501110003', '--name', 'All')).stderr)
      .toContain('error: party-split-last');
    await cli.tracer('parties', 'rename', a.id, 'Al-Noor\u001b[31m');
    await cli.tracer('parties', 'note', a.id, 'caller quoted the reference');
    const page = await cli.json('parties', 'show', a.id);
    expect(page.numbers).toEqual(['+966501110001', '+966501110002', '+966501110003']);
    expect(page.name).toBe('Al-Noor\u001b[31m');
    expect(page.notes[0].actor).toMatch(/^cli:/);
    const text = (await cli.tracer('parties', 'show', a.id)).stdout;
    expect(text).not.toContain('\u001b');
    expect((await cli.json('parties', 'list')).parties).toHaveLength(1);
  }, 180_000);
});
