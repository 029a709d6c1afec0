import type { Command } from 'commander';
import { z } from 'zod';
import { presentNumber } from '../../api/present.ts';
import type { NumberListing } from '../../numbers/service.ts';
import { NUMBER_STATUSES } from '../../numbers/repository.ts';
import { table } from '../format.ts';
import { flags, intFlag, print, withApp } from '../context.ts';
import { countSummary, stagedProgress } from '../progress.ts';
import { confirmCost } from './canaries.ts';

type Presented = ReturnType<typeof presentNumber>;

const provisionSchema = z.strictObject({
  country: z.string(), type: z.enum(['local', 'mobile', 'toll-free']), areaCode: z.string().optional(), contains: z.string().optional(),
  count: intFlag(1, 50), yes: z.boolean().optional(), json: z.boolean().optional(),
});
const listSchema = z.strictObject({
  status: z.enum(NUMBER_STATUSES).optional(), limit: intFlag(1, 1000).optional(), cursor: z.string().optional(), json: z.boolean().optional(),
});
const releaseSchema = z.strictObject({
  now: z.boolean().optional(), force: z.boolean().optional(), reason: z.string().trim().min(1).max(1000).optional(), json: z.boolean().optional(),
}).refine((o) => !o.force || o.reason, { message: '--force needs --reason "why" (it goes into the evidence log)', path: ['reason'] });
const cost = (n: Presented) => (n.monthlyPrice === null ? '-' : `${n.monthlyPrice} ${n.currency}`);
const day = (iso: string | null) => iso?.slice(0, 10) ?? null;

function numbersTable(list: Presented[]): string {
  return table(
    list.map((n) => ({
      id: n.id, phone: n.phoneNumber, country: n.country, status: n.status, control: n.isControl ? 'yes' : '',
      'burn-in ends': day(n.burnInEndsAt), 'release after': day(n.releaseAfter), hits: n.hits ?? null, 'cost/month': cost(n),
      note: n.releaseError ? `release failed: ${n.releaseError}` : n.missingSince ? `gone from account since ${day(n.missingSince)}` : null,
    })),
    ['id', 'phone', 'country', 'status', 'control', 'burn-in ends', 'release after', 'hits', 'cost/month', 'note'],
  );
}

const totalsLine = (totals: NumberListing['monthlyTotals']) =>
  `Monthly total: ${totals.map((t) => `${t.amount} ${t.currency}${t.unpriced ? ` (${t.unpriced} unpriced)` : ''}`).join(' + ') || '0'}`;

export function registerNumberCommands(program: Command): void {
  const numbers = program.command('numbers').description('canary numbers: provision, burn-in, controls, reconcile, release');

  numbers
    .command('provision')
    .description('search and buy numbers; they start a burn-in before any canary gets them')
    .requiredOption('--country <code>', 'ISO country code, e.g. US or SA')
    .option('--type <type>', 'local, mobile or toll-free', 'local')
    .option('--area-code <digits>', 'only numbers in this area code, e.g. 415')
    .option('--contains <pattern>', 'digits, letters (as on a keypad) and * that the number must contain')
    .option('--count <n>', 'how many to buy', '1')
    .option('--yes', 'go ahead although they cost more a month than COST_CONFIRM_THRESHOLD')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const o = flags(provisionSchema, opts);
      await withApp('numbers:write', async ({ services }) => {
        const { PartialProvisionError, provisionInput } = await import('../../numbers/provisioning.ts');
        const input = provisionInput.parse({ country: o.country, type: o.type, areaCode: o.areaCode, contains: o.contains, count: o.count });
        await confirmCost(await services.costs.provisioning(input.country, input.type, input.count), services.costs.threshold, Boolean(o.yes));
        try {
          const bought = (await services.numberService.provision(input)).map((n) => presentNumber({ ...n, hits: 0 }));
          print(Boolean(o.json), { numbers: bought }, () => numbersTable(bought));
        } catch (err) {
          // What was bought before the failure is recorded and shown; the failure is the error line.
          if (err instanceof PartialProvisionError) {
            const bought = err.provisioned.map((n) => presentNumber({ ...n, hits: 0 }));
            print(Boolean(o.json), { numbers: bought }, () => numbersTable(bought));
          }
          throw err;
        }
      });
    });

  numbers
    .command('list')
    .description('numbers with their status, burn-in end, control flag, hits, monthly cost, and the monthly total (audited)')
    .option('--status <status>', NUMBER_STATUSES.join(', '))
    .option('--limit <n>', 'a page of at most this many (default 100)')
    .option('--cursor <cursor>', 'the next page, from a previous listing')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const o = flags(listSchema, opts);
      await withApp('numbers:read', ({ services }, actor) => {
        services.audit.record(actor.id, actor.role, 'list-numbers', '*');
        const { numbers: list, monthlyTotals, nextCursor } = services.numberService.list({ status: o.status }, { limit: o.limit, cursor: o.cursor });
        const shown = list.map(presentNumber);
        print(Boolean(o.json), { provider: services.numberService.providerName, numbers: shown, monthlyTotals, nextCursor }, () =>
          `${numbersTable(shown)}${nextCursor ? `\n(more: --cursor ${nextCursor})` : ''}\n\n${totalsLine(monthlyTotals)}`);
      });
    });

  numbers
    .command('show <id>')
    .description('one number (id or phone number), with the canary that holds it (audited)')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withApp('numbers:read', ({ services }, actor) => {
        const n = presentNumber(services.numberService.show(id));
        services.audit.record(actor.id, actor.role, 'show-number', n.id);
        print(o.json, n, () => JSON.stringify(n, null, 2));
      });
    });

  numbers
    .command('release <id>')
    .description('take a number out of service; a canary\'s number is released on the provider after the quarantine')
    .option('--now', 'release on the provider now, even inside the quarantine')
    .option('--force', 'release although a planted canary still carries it (needs --reason; recorded in the evidence log)')
    .option('--reason <text>', 'why the number goes although its canary is still planted')
    .option('--json', 'print JSON')
    .action(async (id: string, opts) => {
      const o = flags(releaseSchema, opts);
      await withApp('numbers:write', async ({ services }, actor) => {
        const n = presentNumber(await services.numberService.release(id, { now: o.now === true, force: o.force, reason: o.reason, actor: actor.id }));
        print(Boolean(o.json), n, () =>
          n.status === 'released' ? `${n.phoneNumber} released` : `${n.phoneNumber} retired; released on the provider after ${n.releaseAfter}`);
      });
    });

  numbers
    .command('sync')
    .description('reconcile the account with the pool (missing numbers, changed webhooks, missed calls), then run what the lifecycle has due')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp('numbers:write', async ({ services }) => {
        const bar = stagedProgress('numbers', Boolean(o.json));
        const r = await services.numberService.sync({ onProgress: bar.report }).finally(bar.stop);
        print(o.json, { ...r, summary: syncCounts(r) }, () => syncText(r));
      });
    });
}

type SyncReport = Awaited<ReturnType<import('../../numbers/service.ts').NumberService['sync']>>;

/** What a sync found or did, by outcome: the findings (SYNC_FINDINGS) are what someone should look at. */
const SYNC_FINDINGS = ['missing', 'failed', 'webhooks fixed', 'untracked', 'release failed'] as const;

function syncCounts({ reconcile: c, lifecycle: l }: SyncReport): Record<string, number> {
  return {
    missing: c.totals.missing, failed: c.totals.failures, 'webhooks fixed': c.totals.webhooksFixed, untracked: c.totals.untracked,
    'release failed': l.releaseFailed.length, returned: c.totals.returned, 'calls backfilled': c.backfilled.calls,
    'messages backfilled': c.backfilled.messages, 'burn-in ended': l.ready.length, 'retired for traffic': l.retired.length, released: l.released.length,
  };
}

/** Findings first (missing numbers, failures), then what was put right, then the lifecycle; one summary line last. */
function syncText(r: SyncReport): string {
  const { reconcile: c, lifecycle: l } = r;
  const more = (shown: number, total: number) => (total > shown ? ` (and ${total - shown} more)` : '');
  return [
    `Account: ${c.onAccount} number(s); pool holds ${c.held}.`,
    `Missing from the account: ${c.missing.map((m) => m.phoneNumber).join(', ') || 'none'}${more(c.missing.length, c.totals.missing)}.`,
    ...c.failures.map((f) => `Failed (${f.step}) for ${f.phoneNumber}: ${f.error}`),
    `Webhooks fixed: ${c.webhooksFixed.map((m) => `${m.phoneNumber} (${Object.keys(m.was).join(', ')})`).join(', ') || 'none'}${more(c.webhooksFixed.length, c.totals.webhooksFixed)}.`,
    `Backfilled: ${c.backfilled.calls} call(s), ${c.backfilled.messages} message(s).`,
    `Burn-in ended: ${l.ready.length} ready (${l.ready.filter((x) => x.isControl).length} kept as controls), ${l.retired.length} retired for traffic.`,
    `Released: ${l.released.length}; release failed: ${l.releaseFailed.map((x) => `${x.phoneNumber}: ${x.error}`).join('; ') || 'none'}.`,
    '',
    `synced ${c.held} number(s): ${countSummary(syncCounts(r), SYNC_FINDINGS, 'all in order')}`,
  ].join('\n');
}
