import type { Command } from 'commander';
import { z } from 'zod';
import { CHANNEL_KINDS, ChannelRepository, type Channel } from '../../channels/channels.ts';
import { AppError, notFound } from '../../errors.ts';
import type { ShiftSchedule } from '../../planting/shifts.ts';
import { table } from '../format.ts';
import { flags, intFlag, print, withApp, withStore } from '../context.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

/** `--routing key=value` (repeatable) and `--feeds <channel>[:minutes]` (repeatable). */
function routingOf(pairs: string[]): Record<string, string> {
  return Object.fromEntries(pairs.map((p) => {
    const m = /^([^=]+)=(.*)$/.exec(p);
    if (!m) throw new AppError('invalid-request', `--routing: "${p}" is not key=value`);
    return [m[1]!.trim(), m[2]!];
  }));
}

function feedsOf(specs: string[], resolve: (idOrName: string) => string): Channel['feeds'] {
  return specs.map((s) => {
    const m = /^(.+?)(?::(\d+))?$/.exec(s)!;
    return { channelId: resolve(m[1]!), ...(m[2] === undefined ? {} : { delayMinutes: intFlag(0, 525_600).parse(m[2]) }) };
  });
}

const editSchema = z.strictObject({
  name: z.string().optional(), description: z.string().optional(), queue: z.string().optional(),
  routing: z.array(z.string()).optional(), feeds: z.array(z.string()).optional(), noFeeds: z.boolean().optional(), json: z.boolean().optional(),
});

const show = (c: Channel) => `${c.id} "${c.name}" (${c.kind})${c.archivedAt ? `, archived ${c.archivedAt}` : ''}`;

export function registerChannelCommands(program: Command): void {
  const channels = program.command('channels').description('exposure paths a canary can be planted into');

  channels
    .command('create')
    .description('define a channel')
    .requiredOption('--name <name>', 'a name staff will recognise, e.g. "Vendor A night shift"')
    .requiredOption('--kind <kind>', `one of: ${CHANNEL_KINDS.join(', ')}`)
    .option('--description <text>', 'what the path is', '')
    .option('--target <name>', 'where plantings are written', 'utility-sample')
    .option('--queue <queue>', 'the queue a real ticket on this path carries (routing.queue)')
    .option('--routing <key=value>', 'another routing value (repeat for several)', collect, [])
    .option('--feeds <channel[:minutes]>', 'a downstream channel this one passes tickets to, after a delay (repeat)', collect, [])
    .option('--system <s>').option('--handler <h>').option('--shift <s>', 'a shift label, or a schedule as JSON: {"timeZone":"Asia/Riyadh","shifts":[{"name":"night","days":["mon"],"start":"20:00","end":"08:00"}]}')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp('channels:write', ({ services }) => {
        const c = services.channels.create({
          name: o.name, kind: o.kind, description: o.description, target: o.target,
          routing: { ...routingOf(o.routing), ...(o.queue ? { queue: o.queue } : {}) },
          feeds: feedsOf(o.feeds, (x) => services.channels.get(x).id),
          dimensions: { system: o.system, handler: o.handler, shift: shiftOf(o.shift) },
        });
        print(o.json, c, () => `created channel ${show(c)}`);
      });
    });

  channels
    .command('edit <id>')
    .description('change a channel\'s name, description, routing or flows (kind and target stay)')
    .option('--name <name>', 'a new name')
    .option('--description <text>', 'a new description')
    .option('--queue <queue>', 'set routing.queue')
    .option('--routing <key=value>', 'replace the routing with these values (repeat)', collect)
    .option('--feeds <channel[:minutes]>', 'replace the flows with these (repeat)', collect)
    .option('--no-feeds', 'remove every flow')
    .option('--json', 'print JSON')
    .action(async (id: string, opts) => {
      const o = flags(editSchema, { ...opts, noFeeds: opts.feeds === false ? true : undefined, feeds: Array.isArray(opts.feeds) ? opts.feeds : undefined });
      await withApp('channels:write', ({ services }) => {
        const current = services.channels.get(id);
        const routing = o.routing || o.queue ? { ...(o.routing ? routingOf(o.routing) : current.routing), ...(o.queue ? { queue: o.queue } : {}) } : undefined;
        const c = services.channels.update(current.id, {
          name: o.name, description: o.description, routing,
          feeds: o.noFeeds ? [] : o.feeds ? feedsOf(o.feeds, (x) => services.channels.get(x).id) : undefined,
        });
        print(Boolean(o.json), c, () => `updated channel ${show(c)}`);
      });
    });

  channels
    .command('archive <id>')
    .description('keep a channel for the report and the evidence, but plant nothing more into it')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withApp('channels:write', ({ services }) => {
        const c = services.channels.archive(id);
        print(o.json, c, () => `archived channel ${show(c)}`);
      });
    });

  channels
    .command('delete <id>')
    .description('delete a channel nothing was ever planted into (otherwise archive it)')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withApp('channels:write', ({ services }) => {
        const c = services.channels.remove(id);
        print(o.json, { deleted: c.id, name: c.name }, () => `deleted channel ${c.id} "${c.name}"`);
      });
    });

  channels
    .command('list')
    .description('list channels (archived ones with --archived)')
    .option('--archived', 'include archived channels')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withStore('channels:read', ({ db }) => {
        const list = new ChannelRepository(db).list({ includeArchived: Boolean(o.archived) });
        print(o.json, { channels: list }, () =>
          table(list.map((c) => ({ id: c.id, name: c.name, kind: c.kind, target: c.target, queue: c.routing.queue ?? null,
            feeds: c.feeds.map((f) => f.channelId).join(' ') || null, archived: c.archivedAt })),
          ['id', 'name', 'kind', 'target', 'queue', 'feeds', 'archived']));
      });
    });

  channels
    .command('show <id>')
    .description('show one channel (by id or name)')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withStore('channels:read', ({ db }) => {
        const repo = new ChannelRepository(db);
        const c = repo.find(id) ?? repo.findByName(id);
        if (!c) throw notFound('channel', id);
        print(o.json, c, () => JSON.stringify(c, null, 2));
      });
    });
}

/** A schedule given as JSON is a schedule (validated by the channel service); anything else is a label. */
function shiftOf(v: string | undefined): string | ShiftSchedule | undefined {
  if (!v?.trim().startsWith('{')) return v;
  try {
    return JSON.parse(v) as ShiftSchedule;
  } catch {
    throw new AppError('invalid-request', '--shift: a schedule must be valid JSON');
  }
}
