import type { Command } from 'commander';
import { OUTPUT_KINDS } from '../../alerts/types.ts';
import { EVENT_KINDS, SEVERITIES } from '../../alerts/events.ts';
import { table } from '../format.ts';
import { print, withApp } from '../context.ts';

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

type Presented = ReturnType<import('../../alerts/service.ts').AlertService['list']>[number];

function outputsTable(outputs: Presented[]): string {
  const rows = outputs.map((o) => ({
    name: o.name, kind: o.kind, target: o.target, 'min severity': o.minSeverity, state: o.enabled ? 'enabled' : 'DISABLED',
    failures: o.consecutiveFailures, pending: o.pending,
    'last delivery': o.lastDelivery ? `${o.lastDelivery.at} ${o.lastDelivery.outcome}${o.lastDelivery.status ? ` ${o.lastDelivery.status}` : ''}` : null,
  }));
  const warnings = outputs.filter((o) => o.warning).map((o) => `warning: ${o.name}: ${o.warning}`);
  return [table(rows, ['name', 'kind', 'target', 'min severity', 'state', 'failures', 'pending', 'last delivery']), ...warnings].join('\n');
}

export function registerAlertCommands(program: Command): void {
  const alerts = program.command('alerts').description('alert outputs: webhook, Slack, Teams, Discord, Google Chat, email, SMS (admin)')
    .addHelpText('after', `
Examples:
  tracer alerts add --kind slack --name soc --url https://hooks.slack.com/services/T000/B000/XXXX
  tracer alerts add --kind webhook --name siem --url https://siem.example.org/hooks/tracer   # prints the signing secret once
  tracer alerts add --kind email --name on-call-mail --to oncall@utility.example --language ar
  tracer alerts add --kind sms --name on-call --to +966512345678 --min-severity critical
  tracer alerts test soc
  tracer alerts list`);

  alerts
    .command('add')
    .description('register an output by name; a webhook output gets a signing secret, shown once')
    .requiredOption('--kind <kind>', OUTPUT_KINDS.join(' | '))
    .requiredOption('--name <name>', 'the name the output is known by')
    .option('--url <url>', 'webhook URL (webhook, slack, teams, discord, google-chat)')
    .option('--to <recipient>', 'e-mail address (email) or E.164 on-call number (sms)')
    .option('--language <lang>', 'en or ar (email)', 'en')
    .option('--min-severity <level>', SEVERITIES.join(' | '), 'medium')
    .option('--events <kinds>', `comma-separated: ${EVENT_KINDS.join(', ')} (default: all)`, list)
    .option('--throttle-minutes <n>', 'window per canary and per caller: first hit at once, then one digest (0: none)', Number)
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(async ({ services }) => {
        const added = await services.alerts.add({
          kind: o.kind, name: o.name, url: o.url, to: o.to, language: o.language, minSeverity: o.minSeverity, events: o.events,
          throttleMinutes: o.throttleMinutes,
        });
        print(o.json, added, () => {
          const lines = [`added output ${added.name} (${added.kind}, ${added.id}) → ${added.target}`];
          if ('secret' in added) lines.push(`signing secret (shown once; verify X-Tracer-Signature with it): ${added.secret}`);
          return lines.join('\n');
        });
      });
    });

  alerts
    .command('list')
    .description('outputs with their state: enabled, consecutive failures, pending alerts, last delivery; warnings for disabled ones')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const outputs = services.alerts.list();
        print(o.json, { outputs }, () => outputsTable(outputs));
      });
    });

  alerts
    .command('test <output>')
    .description('send a sample alert now and show what the receiver answered (exit 1 when it failed)')
    .option('--json', 'print JSON')
    .action(async (name: string, o) => {
      await withApp(async ({ services }) => {
        const r = await services.alerts.test(name);
        print(o.json, r, () => `${r.ok ? 'delivered' : 'FAILED'}: ${r.output} (${r.kind}) answered ${r.status ?? '-'} in ${r.latencyMs} ms` +
          `${r.answer ? `: ${r.answer}` : ''}${r.error ? `\nerror: ${r.error}` : ''}`);
        if (!r.ok) process.exitCode = 1;
      });
    });

  alerts
    .command('enable <output>')
    .description('enable an output again (after it was disabled for failing); alerts held meanwhile are sent')
    .option('--json', 'print JSON')
    .action(async (name: string, o) => {
      await withApp(({ services }) => {
        const r = services.alerts.enable(name);
        print(o.json, r, () => `enabled ${r.name}; ${r.released} held alert(s) will be sent by the server`);
      });
    });

  alerts
    .command('remove <output>')
    .description('remove an output (its delivery record stays)')
    .option('--json', 'print JSON')
    .action(async (name: string, o) => {
      await withApp(({ services }) => {
        const r = services.alerts.remove(name);
        print(o.json, r, () => `removed ${r.name}`);
      });
    });

  alerts
    .command('deliveries')
    .description('every delivery attempt: outcome, status, latency, error (oldest first, paged)')
    .option('--output <name>', 'only this output')
    .option('--since <iso>', 'attempts at or after this time')
    .option('--cursor <id>', 'continue after this attempt id')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const page = services.alerts.deliveries({ output: o.output, since: o.since, cursor: o.cursor, limit: o.limit });
        print(o.json, page, () => table(page.deliveries.map((d) => ({
          id: d.id, at: d.attemptedAt, output: d.outputId, outcome: d.outcome, status: d.httpStatus, 'ms': d.latencyMs, error: d.error, test: d.test ? 'yes' : '',
        })), ['id', 'at', 'output', 'outcome', 'status', 'ms', 'error', 'test']) + (page.nextCursor ? `\nmore: --cursor ${page.nextCursor}` : ''));
      });
    });
}
