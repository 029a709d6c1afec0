import type { Command } from 'commander';
import { presentCanary } from '../../api/present.ts';
import type { Canary } from '../../canaries/repository.ts';
import { table } from '../format.ts';
import { consoleActor, print, withApp } from '../context.ts';
import { printDryRun, registerCanaryWithdraw } from './plantings.ts';

const collect = (v: string, prev: string[]) => [...prev, v];
const SHOWN = 20;

/** A campaign of thousands is summed up, not scrolled: the first rows, then a count (--json has all). */
function summariseCreated(created: Canary[]): string {
  const rows = created.slice(0, created.length > 50 ? SHOWN : created.length);
  const lines = [table(rows.map((c) => ({ id: c.id, phone: c.phoneNumber, name: c.persona.fullName, plantings: c.plantings.length })),
    ['id', 'phone', 'name', 'plantings'])];
  if (rows.length < created.length) lines.push(`... and ${created.length - rows.length} more (--json lists them all)`);
  const plantings = created.reduce((n, c) => n + c.plantings.length, 0);
  lines.push(`created ${created.length} canar${created.length === 1 ? 'y' : 'ies'} with ${plantings} planting(s)`);
  return lines.join('\n');
}

export function registerCanaryCommands(program: Command): void {
  const canaries = program.command('canaries').description('fake customers and complaints, each on its own number');

  canaries
    .command('create')
    .description('create canaries and plant each into every given channel')
    .requiredOption('--channel <id>', 'channel id or name (repeat for several)', collect, [])
    .option('--locale <locale>', 'ar-SA or en-US')
    .option('--count <n>', 'how many (over 1,000: SQL targets only, planted in batches of 500)', (v) => Number.parseInt(v, 10), 1)
    .option('--dry-run', 'show the statements, requests and CSV rows it would make; write nothing')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(async ({ services }) => {
        const channelIds = (o.channel as string[]).map((c) => services.channels.get(c).id);
        if (o.dryRun) return printDryRun(services, { channelIds, locale: o.locale, count: o.count }, o.json);
        const created = await services.canaries.create({ channelIds, locale: o.locale, count: o.count });
        services.audit.record(consoleActor(), 'admin', 'create', created.map((c) => c.id).join(','));
        print(o.json, { canaries: created.map(presentCanary) }, () => summariseCreated(created));
      });
    });

  canaries
    .command('list')
    .description('list canaries (a registry read: audited)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        services.audit.record(consoleActor(), 'admin', 'list', '*');
        const list = services.canaries.list();
        print(o.json, { canaries: list.map(presentCanary) }, () =>
          table(list.map((c) => ({ id: c.id, phone: c.phoneNumber, name: c.persona.fullName, plantings: c.plantings.length, created: c.createdAt })),
            ['id', 'phone', 'name', 'plantings', 'created']));
      });
    });

  canaries
    .command('show <id>')
    .description('show one canary with its plantings (a registry read: audited)')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withApp(({ services }) => {
        const c = services.canaries.get(id);
        services.audit.record(consoleActor(), 'admin', 'show', c.id);
        print(o.json, presentCanary(c), () => JSON.stringify(presentCanary(c), null, 2));
      });
    });

  registerCanaryWithdraw(canaries);
}
