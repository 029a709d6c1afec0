import type { Command } from 'commander';
import { presentNumber } from '../../api/numbers.ts';
import type { NumberListing } from '../../numbers/service.ts';
import { PartialProvisionError } from '../../numbers/provisioning.ts';
import { table } from '../format.ts';
import { consoleActor, print, withApp } from '../context.ts';

type Presented = ReturnType<typeof presentNumber>;

const int = (v: string) => Number.parseInt(v, 10);
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
    .option('--count <n>', 'how many to buy', int, 1)
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(async ({ services }) => {
        const input = { country: o.country, type: o.type, areaCode: o.areaCode, contains: o.contains, count: o.count };
        try {
          const bought = (await services.numberService.provision(input)).map((n) => presentNumber({ ...n, hits: 0 }));
          print(o.json, { numbers: bought }, () => numbersTable(bought));
        } catch (err) {
          // What was bought before the failure is recorded and shown; the failure is the error line.
          if (err instanceof PartialProvisionError) {
            const bought = err.provisioned.map((n) => presentNumber({ ...n, hits: 0 }));
            print(o.json, { numbers: bought }, () => numbersTable(bought));
          }
          throw err;
        }
      });
    });

  numbers
    .command('list')
    .description('every number with its status, burn-in end, control flag, hits, monthly cost, and the monthly total (audited)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        services.audit.record(consoleActor(), 'admin', 'list-numbers', '*');
        const { numbers: list, monthlyTotals } = services.numberService.list();
        const shown = list.map(presentNumber);
        print(o.json, { provider: services.numberService.providerName, numbers: shown, monthlyTotals }, () =>
          `${numbersTable(shown)}\n\n${totalsLine(monthlyTotals)}`);
      });
    });

  numbers
    .command('show <id>')
    .description('one number (id or phone number), with the canary that holds it (audited)')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withApp(({ services }) => {
        const n = presentNumber(services.numberService.show(id));
        services.audit.record(consoleActor(), 'admin', 'show-number', n.id);
        print(o.json, n, () => JSON.stringify(n, null, 2));
      });
    });

  numbers
    .command('release <id>')
    .description('take a number out of service; a canary\'s number is released on the provider after the quarantine')
    .option('--now', 'release on the provider now, even inside the quarantine')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withApp(async ({ services }) => {
        const n = presentNumber(await services.numberService.release(id, { now: o.now === true }));
        print(o.json, n, () =>
          n.status === 'released' ? `${n.phoneNumber} released` : `${n.phoneNumber} retired; released on the provider after ${n.releaseAfter}`);
      });
    });

  numbers
    .command('sync')
    .description('reconcile the account with the pool (missing numbers, changed webhooks, missed calls), then run what the lifecycle has due')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(async ({ services }) => {
        const r = await services.numberService.sync();
        const { reconcile: c, lifecycle: l } = r;
        print(o.json, r, () => [
          `Account: ${c.onAccount} number(s); pool holds ${c.held}.`,
          `Missing from the account: ${c.missing.map((m) => m.phoneNumber).join(', ') || 'none'}.`,
          `Webhooks fixed: ${c.webhooksFixed.map((m) => `${m.phoneNumber} (${Object.keys(m.was).join(', ')})`).join(', ') || 'none'}.`,
          `Backfilled: ${c.backfilled.calls} call(s), ${c.backfilled.messages} message(s).`,
          `Burn-in ended: ${l.ready.length} ready (${l.ready.filter((x) => x.isControl).length} kept as controls), ${l.retired.length} retired for traffic.`,
          `Released: ${l.released.length}; release failed: ${l.releaseFailed.map((x) => `${x.phoneNumber}: ${x.error}`).join('; ') || 'none'}.`,
          ...c.failures.map((f) => `Failed (${f.step}) for ${f.phoneNumber}: ${f.error}`),
        ].join('\n'));
      });
    });
}
