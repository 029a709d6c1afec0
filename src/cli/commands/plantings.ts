import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import type { DryRun } from '../../planting/dry-run.ts';
import type { CreateCanariesInput } from '../../canaries/service.ts';
import type { PlantingListItem } from '../../planting/repository.ts';
import { presentPlanting } from '../../api/present.ts';
import { clean, table } from '../format.ts';
import { flags, instantFlag, intFlag, print, withApp, withStore } from '../context.ts';
import { listFlags, listFlagSchema, writeList, type ListSpec } from '../output.ts';
import { followProgress, outcomeSummary } from '../progress.ts';
import { channelFlag, listOptions } from './hits.ts';

const STATUSES = ['pending', 'awaiting-confirmation', 'planted', 'withdrawn', 'not-planted', 'needs-review'] as const;
/** Verify states that are findings: printed first, and exit 1. */
const FINDINGS = ['altered', 'missing', 'error'] as const;

const listSchema = z.strictObject({
  status: z.enum(STATUSES).optional(),
  canary: z.string().min(1).max(100).optional(),
  channel: z.string().min(1).max(200).optional(),
  since: instantFlag.optional(),
  until: instantFlag.optional(),
  ...listFlagSchema,
});

type Presented = ReturnType<typeof presentPlanting>;
const plantingList: ListSpec<PlantingListItem> = {
  name: 'plantings',
  columns: ['id', 'canary', 'channel', 'target', 'status', 'ref', 'planted'],
  row: (pl) => ((p: Presented) => ({ id: p.id, canary: p.canaryId, channel: p.channel, target: p.target, status: p.status, ref: p.externalRef, planted: p.plantedAt }))(presentPlanting(pl)),
  present: presentPlanting,
};

export function registerPlantingCommands(program: Command): void {
  const plantings = program.command('plantings').description('canaries in the utility\'s systems: confirm, call scripts, verify, reconcile');

  listOptions(plantings
    .command('list')
    .description('list plantings, oldest first (a registry read: audited)')
    .option('--status <status>', STATUSES.join(', '))
    .option('--canary <id>', 'only this canary')
    .option('--channel <id>', 'only this channel (id or name)')
    .option('--since <iso>', 'prepared at or after (ISO 8601 with offset)')
    .option('--until <iso>', 'prepared before'))
    .action(async (opts) => {
      const o = flags(listSchema, opts);
      await withStore('canaries:read', async ({ db, audit, actor }) => {
        const { PlantingRepository } = await import('../../planting/repository.ts');
        const repo = new PlantingRepository(db);
        const channelId = await channelFlag(db, o.channel);
        audit.record(actor.id, actor.role, 'list-plantings', '*');
        const filter = { status: o.status, canaryId: o.canary, channelId, since: o.since, until: o.until };
        await writeList(listFlags(o), plantingList, (cursor, limit) => repo.page(filter, { cursor, limit }));
      });
    });

  plantings
    .command('script <plantingId>')
    .description('print the call script for an intake-call planting, in the canary\'s language (audited)')
    .option('--json', 'print JSON: {script}')
    .action(async (id: string, o) => {
      await withApp('canaries:read', ({ services }, actor) => {
        const script = services.plantings.script(id);
        services.audit.record(actor.id, actor.role, 'script', id);
        print(o.json, { plantingId: id, script }, () => script);
      });
    });

  plantings
    .command('confirm [plantings...]')
    .description('record imported CSV rows or phoned-in complaints: each planting\'s ticket number and when it happened')
    .option('--ref <ticket>', 'the ticket number the utility\'s system (or the agent) gave (one planting id)')
    .option('--at <iso>', 'when the import ran or the call was made, ISO 8601 with offset (default: now)')
    .option('--file <csv>', 'the import report: a CSV with a ref column and a planting or key column (the import file\'s key), optionally at')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  tracer plantings confirm pl_abc --ref 2611-448812\n  tracer plantings confirm pl_abc=2611-448812 pl_def=2611-448813 --at 2026-11-28T11:42:00+03:00\n  tracer plantings confirm --file import-report.csv')
    .action(async (ids: string[], opts) => {
      const o = flags(z.strictObject({ ref: z.string().optional(), at: instantFlag.optional(), file: z.string().min(1).optional(), json: z.boolean().optional() }), opts);
      const { confirmMany, parseConfirmations } = await import('./confirm.ts');
      const wanted = parseConfirmations(ids, o.ref, o.file ? fs.readFileSync(o.file, 'utf8') : undefined);
      await withApp('canaries:write', (app) => {
        if (o.file || wanted.length > 1) return confirmMany(app, wanted, o.at, Boolean(o.json));
        const p = presentPlanting(app.services.plantings.confirm(wanted[0]!.planting!, { ref: wanted[0]!.ref, at: o.at }));
        print(Boolean(o.json), p, () => `planting ${p.id} planted as ticket ${clean(p.externalRef)} at ${p.plantedAt}`);
      });
    });

  plantings
    .command('verify')
    .description('re-read every planted canary: findings (altered, missing, error) first, then a count per state; exit 1 on any finding')
    .option('--all', 'list every planting, not only the findings')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp('canaries:write', async ({ services }) => {
        const bar = followProgress('verify', Boolean(o.json));
        const results = await services.plantings.verifyAll(bar.report).finally(bar.stop);
        const rank = (s: string) => (FINDINGS as readonly string[]).indexOf(s) === -1 ? 99 : (FINDINGS as readonly string[]).indexOf(s);
        const shown = [...results].filter((r) => o.all || rank(r.state) < 99).sort((a, b) => rank(a.state) - rank(b.state));
        const summary = outcomeSummary(results.map((r) => r.state), FINDINGS);
        print(o.json, { summary: counts(results.map((r) => r.state)), results }, () => [
          ...(shown.length ? [table(shown.map((r) => ({ planting: r.plantingId, channel: r.channel, target: r.target, ref: r.externalRef, state: r.state, detail: verifyDetail(r) })),
            ['planting', 'channel', 'target', 'ref', 'state', 'detail']), ''] : []),
          `verified ${results.length} planting(s): ${summary}`,
        ].join('\n'));
        if (results.some((r) => rank(r.state) < 99)) process.exitCode = 1;
      });
    });

  plantings
    .command('reconcile')
    .description('settle plantings a crash left pending: found in the target → planted (or withdrawn), absent → not planted')
    .option('--older-than <minutes>', 'only pendings at least this old (younger ones may still be in progress)', '10')
    .option('--withdraw', 'withdraw canaries found in a target instead of keeping them')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const o = flags(z.strictObject({ olderThan: intFlag(0, 100_000), withdraw: z.boolean().optional(), json: z.boolean().optional() }), opts);
      await withApp('canaries:write', async ({ services }) => {
        const bar = followProgress('reconcile', Boolean(o.json));
        const results = await services.plantings.reconcile({ olderThanMinutes: o.olderThan, withdraw: Boolean(o.withdraw) }, bar.report).finally(bar.stop);
        const review = ['needs-review', 'still-pending'];
        const sorted = [...results].sort((a, b) => Number(review.includes(b.outcome)) - Number(review.includes(a.outcome)));
        print(Boolean(o.json), { summary: counts(results.map((r) => r.outcome)), results }, () => results.length === 0 ? 'nothing pending to reconcile' : [
          table(sorted.map((r) => ({ planting: r.plantingId, target: r.target, outcome: r.outcome, ref: r.externalRef ?? null, reason: r.reason ?? null })),
            ['planting', 'target', 'outcome', 'ref', 'reason']),
          '', `reconciled ${results.length} planting(s): ${outcomeSummary(results.map((r) => r.outcome), review)}`,
        ].join('\n'));
        if (results.some((r) => review.includes(r.outcome))) process.exitCode = 1;
      });
    });

  plantings
    .command('targets')
    .description('list the configured targets; --check connects and checks each mapping against the live schema')
    .option('--check', 'connect and check (exit 1 when any fails)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp('canaries:read', async ({ services }) => {
        const list: Array<{ name: string; kind: string; ok?: boolean; error?: string }> =
          o.check ? await services.plantings.checkTargets() : services.plantings.targetsOverview();
        print(o.json, { targets: list }, () => table(list.map((t) => ({ name: t.name, kind: t.kind, check: t.ok === undefined ? null : t.ok ? 'ok' : t.error! })),
          o.check ? ['name', 'kind', 'check'] : ['name', 'kind']));
        if (list.some((t) => t.ok === false)) process.exitCode = 1;
      });
    });
}

export const counts = (outcomes: string[]) => outcomes.reduce<Record<string, number>>((m, o) => ({ ...m, [o]: (m[o] ?? 0) + 1 }), {});

/** `tracer canaries withdraw <id>`: lives beside the other canary commands. */
export function registerCanaryWithdraw(canaries: Command): void {
  canaries
    .command('withdraw <canaryId>')
    .description('remove or close the canary in every target it was planted in, touching no real record')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withApp('canaries:write', async ({ services }) => {
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

