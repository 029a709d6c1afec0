import type { Command } from 'commander';
import { z } from 'zod';
import { presentCanary } from '../../api/present.ts';
import type { Canary } from '../../canaries/repository.ts';
import { LOCALES } from '../../identities/types.ts';
import { table } from '../format.ts';
import { flags, instantFlag, intFlag, print, withApp, withStore } from '../context.ts';
import { listFlags, listFlagSchema, writeList, type ListSpec } from '../output.ts';
import { followProgress } from '../progress.ts';
import { channelFlag, listOptions } from './hits.ts';
import { printDryRun, registerCanaryWithdraw } from './plantings.ts';

const collect = (v: string, prev: string[]) => [...prev, v];
const SHOWN = 20;

const createSchema = z.strictObject({
  channel: z.array(z.string().min(1).max(200)).min(1).max(50),
  locale: z.enum(LOCALES).optional(),
  count: intFlag(1, 10_000),
  dryRun: z.boolean().optional(),
  yes: z.boolean().optional(),
  json: z.boolean().optional(),
});

const listSchema = z.strictObject({
  channel: z.string().min(1).max(200).optional(),
  since: instantFlag.optional(),
  until: instantFlag.optional(),
  ...listFlagSchema,
});

const canaryList: ListSpec<Canary> = {
  name: 'canaries',
  columns: ['id', 'phone', 'name', 'plantings', 'created'],
  row: (c) => ({ id: c.id, phone: c.phoneNumber, name: c.persona.fullName, plantings: c.plantings.length, created: c.createdAt }),
  present: presentCanary,
};

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
    .option('--locale <locale>', LOCALES.join(' or '))
    .option('--count <n>', 'how many (over 1,000: SQL targets only, planted in batches of 500)', '1')
    .option('--dry-run', 'show the statements, requests and CSV rows it would make; write nothing')
    .option('--yes', 'go ahead although the numbers cost more a month than COST_CONFIRM_THRESHOLD')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const o = flags(createSchema, opts);
      await withApp('canaries:write', async ({ services }, actor) => {
        const channelIds = o.channel.map((c) => {
          const channel = services.channels.get(c);
          services.channels.assertPlantable(channel);
          return channel.id;
        });
        const input = { channelIds, locale: o.locale, count: o.count };
        if (o.dryRun) return printDryRun(services, input, Boolean(o.json));
        await confirmCost(await services.costs.campaign(o.locale, o.count), services.costs.threshold, Boolean(o.yes));
        const created = await watchPlanting(Boolean(o.json), (onProgress) => services.canaries.create(input, { onProgress }));
        services.audit.record(actor.id, actor.role, 'create', created.map((c) => c.id).join(','));
        print(Boolean(o.json), { canaries: created.map(presentCanary) }, () => summariseCreated(created));
      });
    });

  listOptions(canaries
    .command('list')
    .description('list canaries, oldest first (a registry read: audited)')
    .option('--channel <id>', 'only canaries planted in this channel (id or name)')
    .option('--since <iso>', 'created at or after (ISO 8601 with offset)')
    .option('--until <iso>', 'created before'))
    .action(async (opts) => {
      const o = flags(listSchema, opts);
      await withStore('canaries:read', async ({ db, audit, actor }) => {
        const { CanaryRepository } = await import('../../canaries/repository.ts');
        const repo = new CanaryRepository(db);
        const channelId = await channelFlag(db, o.channel);
        audit.record(actor.id, actor.role, 'list', '*');
        await writeList(listFlags(o), canaryList, (cursor, limit) => repo.list({ channelId, since: o.since, until: o.until }, { cursor, limit }));
      });
    });

  canaries
    .command('show <id>')
    .description('show one canary with its plantings (a registry read: audited)')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withStore('canaries:read', async ({ db, audit, actor }) => {
        const { CanaryRepository } = await import('../../canaries/repository.ts');
        const c = new CanaryRepository(db).find(id);
        if (!c) throw (await import('../../errors.ts')).notFound('canary', id);
        audit.record(actor.id, actor.role, 'show', c.id);
        print(o.json, presentCanary(c), () => JSON.stringify(presentCanary(c), null, 2));
      });
    });

  registerCanaryWithdraw(canaries);
}

/**
 * A campaign of thousands takes a while: the bar follows the canaries planted so far, as the
 * pipeline reports them after each batch (a few dozen is over before a bar would help).
 */
export async function watchPlanting<T>(quiet: boolean, work: (onProgress: (done: number, total: number) => void) => Promise<T>): Promise<T> {
  const bar = followProgress('canaries', quiet);
  return work((done, total) => total >= 50 && bar.report(done, total)).finally(bar.stop);
}

/** Shows the monthly cost first; over the threshold, nothing is done without --yes. */
export async function confirmCost(cost: import('../../numbers/cost.ts').CostEstimate, threshold: number, yes: boolean): Promise<void> {
  const { requireCostConfirmation } = await import('../../numbers/cost.ts');
  if (cost.total !== null && cost.total > threshold) {
    process.stderr.write(`monthly cost: ${cost.count} number(s) × ${cost.perNumber} ${cost.currency} = ${cost.total} ${cost.currency}\n`);
  }
  requireCostConfirmation(cost, threshold, yes, '--yes');
}
