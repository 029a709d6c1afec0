import type { Command } from 'commander';
import { z } from 'zod';
import { auditTarget, DEFAULT_THRESHOLD, type AuditReport } from '../../planting/audit/panel.ts';
import { clean, table } from '../format.ts';
import { consoleActor, print, withApp } from '../context.ts';

const flags = z.strictObject({
  target: z.string().min(1),
  threshold: z.coerce.number().gt(0.5).max(1).optional(),
  maxRows: z.coerce.number().int().min(100).max(1_000_000).optional(),
  json: z.boolean().optional(),
});

/** `tracer plantings audit --target T`: the distinguisher panel (a registry read: audited). */
export function registerAuditCommand(program: Command): void {
  const plantings = program.commands.find((c) => c.name() === 'plantings')!;
  plantings
    .command('audit')
    .description('try to tell the canaries in a target from its real rows, as an insider could; exit 1 when any detector can')
    .requiredOption('--target <name>', 'the target to audit')
    .option('--threshold <auc>', `fail when a detector's AUC is above this (default ${DEFAULT_THRESHOLD})`)
    .option('--max-rows <n>', 'ticket rows read at most, in pages of 2000 (default 100000)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  tracer plantings audit --target utility-sample\n  tracer plantings audit --target cis --threshold 0.6 --json')
    .action(async (raw) => {
      const o = flags.parse(raw);
      await withApp(async ({ services }) => {
        services.audit.record(consoleActor(), 'admin', 'audit-plantings', o.target);
        const report = await auditTarget(services.db, o.target, services.targets.get(o.target), { threshold: o.threshold, maxRows: o.maxRows });
        print(Boolean(o.json), report, () => formatAudit(report));
        if (!report.pass) process.exitCode = 1;
      });
    });
}

function formatAudit(r: AuditReport): string {
  return [
    `distinguisher panel on target ${clean(r.target)}: ${r.canaries} canaries against ${r.real} real rows around them; fail above AUC ${r.threshold}`,
    '',
    table(r.detectors.map((d) => ({
      detector: d.detector, AUC: d.auc.toFixed(3), '95% CI': `${d.low.toFixed(2)}–${d.high.toFixed(2)}`, result: d.over ? 'TELLS THEM APART' : 'ok',
      'gives canaries away': d.givesAway.map((g) => `${g.feature} (${g.auc.toFixed(2)})`).join('; ') || '-',
    })), ['detector', 'AUC', '95% CI', 'result', 'gives canaries away']),
    '',
    r.pass ? 'no detector tells canaries from real rows above the threshold' : 'canaries can be told apart: see the features above',
  ].join('\n');
}
