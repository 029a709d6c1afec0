// Lists narrowed to a channel at the console (named by id or name); an unknown channel is an error, not an empty list.
import { afterAll, describe, expect, it } from 'vitest';
import { cliHarness } from '../support/cli.ts';

const h = cliHarness('tracer-cli-lists-');
afterAll(h.cleanup);

describe('lists by channel', () => {
  it('when canaries, plantings and hits are listed for one channel, then only that channel\'s are shown, and an unknown channel fails', async () => {
    await h.tracer('channels', 'create', '--name', 'Vendor A', '--kind', 'crm');
    const b = await h.json('channels', 'create', '--name', 'Vendor B', '--kind', 'crm');
    const inA = await h.json('canaries', 'create', '--channel', 'Vendor A', '--count', '2', '--yes');
    await h.tracer('canaries', 'create', '--channel', 'Vendor B', '--count', '1', '--yes');

    const canaries = await h.json('canaries', 'list', '--channel', 'Vendor A');
    const plantings = await h.json('plantings', 'list', '--channel', b.id);
    const hits = await h.json('hits', 'list', '--channel', 'Vendor A');
    const unknown = await h.fails('canaries', 'list', '--channel', 'Vendor Z');

    expect(canaries.canaries.map((c: { id: string }) => c.id).sort()).toEqual(inA.canaries.map((c: { id: string }) => c.id).sort());
    expect(plantings.plantings).toHaveLength(1);
    expect(plantings.plantings[0].channelId).toBe(b.id);
    expect(hits.hits).toEqual([]);
    expect(unknown.stderr.trim()).toBe('error: not-found: channel "Vendor Z" does not exist');
  }, 90_000);
});
