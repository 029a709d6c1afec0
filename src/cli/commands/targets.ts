import type { Command } from 'commander';
import { z } from 'zod';
import type { ColumnProfile, TargetProfile } from '../../planting/profile/types.ts';
import { clean, table } from '../format.ts';
import { print, withApp } from '../context.ts';
import { outcomeSummary, stagedProgress } from '../progress.ts';

const learnFlags = z.strictObject({ limit: z.coerce.number().int().min(30).max(100_000).optional(), json: z.boolean().optional() });

export function registerTargetCommands(program: Command): void {
  const targets = program.command('targets').description('what the tracer learned of each target\'s real rows (shapes only, never a value)');

  targets
    .command('learn <target>')
    .description('read a bounded sample of the target\'s real rows and learn each mapped column\'s shape; canaries are then drawn to it')
    .option('--limit <rows>', 'rows read per table, records for a CRM (default 5000)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  tracer targets learn cis\n  tracer targets learn utility-sample --limit 2000 --json')
    .action(async (name: string, raw) => {
      const o = learnFlags.parse(raw);
      await withApp(async ({ services }) => {
        const bar = stagedProgress('targets', Boolean(o.json));
        const r = await services.profiles.learn(name, { limit: o.limit, onProgress: bar.report }).finally(bar.stop);
        const outcomes = r.profile.columns.map(columnOutcome);
        print(Boolean(o.json), { ...r, summary: Object.fromEntries(outcomes.map((k) => [k, outcomes.filter((x) => x === k).length])) }, () => [
          `learned target ${clean(name)} at ${r.profile.learnedAt} from ${Object.entries(r.profile.rowsPerTable).map(([t, n]) => `${n} ${t}`).join(', ')}`,
          `profile hash ${r.hash} (in the evidence log)`, '', formatProfile(r.profile),
          ...r.warnings.map((w) => `warning: ${clean(w)}`),
          '', `learned ${outcomes.length} column(s): ${outcomeSummary(outcomes, ['not learned'])}`,
        ].join('\n'));
      });
    });

  targets
    .command('profile <target>')
    .description('show the stored profile of a target and whether canaries are drawn to it')
    .option('--json', 'print JSON')
    .action(async (name: string, o) => {
      await withApp(({ services }) => {
        const profile = services.profiles.load(name);
        const state = services.profiles.state(name);
        print(Boolean(o.json), { state, profile: profile ?? null }, () => [
          `target ${clean(name)}: ${state.state}${state.warning ? ` — ${clean(state.warning)}` : ''}`,
          ...(profile ? ['', formatProfile(profile)] : ['no profile: declared formats apply (run "tracer targets learn")']),
        ].join('\n'));
      });
    });
}

/** A column's outcome for the summary: its kind, or "not learned" (a finding: declared formats apply to it). */
const columnOutcome = (c: ColumnProfile) => (c.note && c.kind !== 'key' ? 'not learned' : c.kind);

function formatProfile(p: TargetProfile): string {
  return table(p.columns.map((c) => ({ column: `${c.table}.${c.column}`, kind: c.kind, nulls: `${Math.round(c.nullRate * 100)}%`, shape: describe(c) })),
    ['column', 'kind', 'nulls', 'shape']);
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const top = (shares: Record<string, number>, n = 4) =>
  Object.entries(shares).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${k} ${pct(v)}`).join(', ');

function describe(c: ColumnProfile): string {
  if (c.note) return c.note;
  if (c.phone) return `written ${c.phone.mask} (${c.phone.form}); prefixes ${top(c.phone.prefixes, 6)}`;
  if (c.date) {
    const peak = c.date.hours.indexOf(Math.max(...c.date.hours));
    return `${c.date.layout}; busiest hour ${peak}:00; median age ${Math.round(c.date.ageDays[10]!)} d, 90th pct ${Math.round(c.date.ageDays[18]!)} d`;
  }
  if (c.code) return `${c.code.pattern}${c.code.checkDigit !== 'none' ? ` (${c.code.checkDigit})` : ''}; ${c.code.sequence}${c.code.counter ? ` ${c.code.counter.prefix}+${c.code.counter.width} digits` : ''}`;
  if (c.category) return top(c.category.shares);
  if (c.number) return `${c.number.quantiles[1]} … ${c.number.quantiles[19]}`;
  if (c.text) return `${c.length.mean.toFixed(0)} chars, ${c.text.words.mean.toFixed(0)} words`;
  return '';
}
