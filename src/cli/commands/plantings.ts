import type { Command } from 'commander';
import type { Services } from '../../app.ts';
import type { DryRun } from '../../planting/dry-run.ts';
import type { CreateCanariesInput } from '../../canaries/service.ts';
import { presentPlanting } from '../../api/plantings.ts';
import { clean, table } from '../format.ts';
import { consoleActor, print, withApp } from '../context.ts';

const STATUSES = 'pending, awaiting-confirmation, planted, withdrawn, not-planted, needs-review';

export function registerPlantingCommands(program: Command): void {
  const plantings = program.command('plantings').description('canaries in the utility\'s systems: confirm, call scripts, verify, reconcile');

  plantings
    .command('list')
    .description('list plantings (a registry read: audited)')
    .option('--status <status>', STATUSES)
    .option('--canary <id>', 'only this canary')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        services.audit.record(consoleActor(), 'admin', 'list-plantings', '*');
        const list = services.plantings.list({ status: o.status, canaryId: o.canary }).map(presentPlanting);
        print(o.json, { plantings: list }, () =>
          table(list.map((p) => ({ id: p.id, canary: p.canaryId, channel: p.channel, target: p.target, status: p.status, ref: p.externalRef, planted: p.plantedAt })),
            ['id', 'canary', 'channel', 'target', 'status', 'ref', 'planted']));
      });
    });

  plantings
    .command('script <plantingId>')
    .description('print the call script for an intake-call planting, in the canary\'s language (audited)')
    .action(async (id: string) => {
      await withApp(({ services }) => {
        const script = services.plantings.script(id);
        services.audit.record(consoleActor(), 'admin', 'script', id);
        process.stdout.write(`${script}\n`);
      });
    });

  plantings
    .command('confirm <plantingId>')
    .description('record an imported CSV row or a phoned-in complaint: the ticket number and when it happened')
    .requiredOption('--ref <ticket>', 'the ticket number the utility\'s system (or the agent) gave')
    .option('--at <iso>', 'when the import ran or the call was made, ISO 8601 with offset (default: now)')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withApp(({ services }) => {
        const p = presentPlanting(services.plantings.confirm(id, { ref: o.ref, at: o.at }));
        print(o.json, p, () => `planting ${p.id} planted as ticket ${clean(p.externalRef)} at ${p.plantedAt}`);
      });
    });

  plantings
    .command('verify')
    .description('re-read every planted canary: intact / altered / missing (findings go to the evidence log; exit 1 when any)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(async ({ services }) => {
        const results = await services.plantings.verifyAll();
        print(o.json, { results }, () =>
          table(results.map((r) => ({ planting: r.plantingId, channel: r.channel, target: r.target, ref: r.externalRef, state: r.state, detail: verifyDetail(r) })),
            ['planting', 'channel', 'target', 'ref', 'state', 'detail']));
        if (results.some((r) => r.state === 'altered' || r.state === 'missing' || r.state === 'error')) process.exitCode = 1;
      });
    });

  plantings
    .command('reconcile')
    .description('settle plantings a crash left pending: found in the target → planted (or withdrawn), absent → not planted')
    .option('--older-than <minutes>', 'only pendings at least this old (younger ones may still be in progress)', Number, 10)
    .option('--withdraw', 'withdraw canaries found in a target instead of keeping them')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(async ({ services }) => {
        const results = await services.plantings.reconcile({ olderThanMinutes: o.olderThan, withdraw: Boolean(o.withdraw) });
        print(o.json, { results }, () => results.length === 0 ? 'nothing pending to reconcile' :
          table(results.map((r) => ({ planting: r.plantingId, target: r.target, outcome: r.outcome, ref: r.externalRef ?? null, reason: r.reason ?? null })),
            ['planting', 'target', 'outcome', 'ref', 'reason']));
        if (results.some((r) => r.outcome === 'needs-review' || r.outcome === 'still-pending')) process.exitCode = 1;
      });
    });

  plantings
    .command('targets')
    .description('list the configured targets; --check connects and checks each mapping against the live schema')
    .option('--check', 'connect and check (exit 1 when any fails)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(async ({ services }) => {
        const list: Array<{ name: string; kind: string; ok?: boolean; error?: string }> =
          o.check ? await services.plantings.checkTargets() : services.plantings.targetsOverview();
        print(o.json, { targets: list }, () => table(list.map((t) => ({ name: t.name, kind: t.kind, check: t.ok === undefined ? null : t.ok ? 'ok' : t.error! })),
          o.check ? ['name', 'kind', 'check'] : ['name', 'kind']));
        if (list.some((t) => t.ok === false)) process.exitCode = 1;
      });
    });
}

/** `tracer canaries withdraw <id>`: lives beside the other canary commands. */
export function registerCanaryWithdraw(canaries: Command): void {
  canaries
    .command('withdraw <canaryId>')
    .description('remove or close the canary in every target it was planted in, touching no real record')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withApp(async ({ services }) => {
        const results = await services.plantings.withdrawCanary(id);
        print(o.json, { results }, () => results.length === 0 ? 'nothing left to withdraw' :
          table(results.map((r) => ({ planting: r.plantingId, target: r.target, outcome: r.outcome, note: r.note ?? null })), ['planting', 'target', 'outcome', 'note']));
        if (results.some((r) => r.outcome === 'failed')) process.exitCode = 1;
      });
    });
}

/** `tracer canaries create --dry-run`: what would be written, writing nothing. */
export async function printDryRun(services: Services, input: CreateCanariesInput, json: boolean): Promise<void> {
  const plan = await services.dryRun(input);
  print(json, plan, () => formatDryRun(plan));
}

function formatDryRun(plan: DryRun): string {
  const out = [`DRY RUN — ${plan.note}`];
  plan.canaries.forEach((c, i) => {
    out.push('', `Canary ${i + 1} of ${plan.count}: ${clean(c.persona.fullName)}`);
    for (const p of c.plantings) {
      out.push(`  channel "${clean(p.channel)}" → target ${p.target} (${p.kind})`);
      for (const s of p.steps) out.push(...formatStep(s).map((l) => `    ${l}`));
    }
  });
  return out.join('\n');
}

function formatStep(s: DryRun['canaries'][number]['plantings'][number]['steps'][number]): string[] {
  switch (s.action) {
    case 'sql':
      return [String(s.sql), ...((s.params as unknown[]).length ? [`  params: ${JSON.stringify(s.params)}`] : [])];
    case 'http':
      return [`${s.method} ${s.url}`, `  headers: ${JSON.stringify(s.headers)}`, `  body: ${JSON.stringify(s.body)}`];
    case 'csv-row':
      return [`append to ${s.file}`, `  ${String(s.record).trimEnd()}`];
    case 'phone-call':
      return String(s.script).split('\n');
    default:
      return [JSON.stringify(s)];
  }
}

function verifyDetail(r: Awaited<ReturnType<Services['plantings']['verifyAll']>>[number]): string {
  if (r.state === 'altered') return r.differences.map((d) => `${d.field}: ${JSON.stringify(d.written)} → ${JSON.stringify(d.found)}`).join('; ');
  if (r.state === 'missing') return r.what;
  if (r.state === 'unverifiable') return r.reason;
  if (r.state === 'error') return r.error;
  return '';
}
