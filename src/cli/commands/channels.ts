import type { Command } from 'commander';
import { CHANNEL_KINDS } from '../../channels/channels.ts';
import { table } from '../format.ts';
import { print, withApp } from '../context.ts';

export function registerChannelCommands(program: Command): void {
  const channels = program.command('channels').description('exposure paths a canary can be planted into');

  channels
    .command('create')
    .description('define a channel')
    .requiredOption('--name <name>', 'a name staff will recognise, e.g. "Vendor A night shift"')
    .requiredOption('--kind <kind>', `one of: ${CHANNEL_KINDS.join(', ')}`)
    .option('--description <text>', 'what the path is', '')
    .option('--target <name>', 'where plantings are written', 'utility-sample')
    .option('--queue <queue>', "the queue a real ticket on this path carries (routing.queue)")
    .option('--system <s>').option('--handler <h>').option('--shift <s>')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const c = services.channels.create({
          name: o.name, kind: o.kind, description: o.description, target: o.target,
          routing: o.queue ? { queue: o.queue } : {},
          dimensions: { system: o.system, handler: o.handler, shift: o.shift },
        });
        print(o.json, c, () => `created channel ${c.id} "${c.name}" (${c.kind})`);
      });
    });

  channels
    .command('list')
    .description('list channels')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const list = services.channels.list();
        print(o.json, { channels: list }, () =>
          table(list.map((c) => ({ id: c.id, name: c.name, kind: c.kind, target: c.target, queue: c.routing.queue ?? null })),
            ['id', 'name', 'kind', 'target', 'queue']));
      });
    });

  channels
    .command('show <id>')
    .description('show one channel (by id or name)')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withApp(({ services }) => {
        const c = services.channels.get(id);
        print(o.json, c, () => JSON.stringify(c, null, 2));
      });
    });
}
