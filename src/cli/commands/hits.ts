import type { Command } from 'commander';
import { presentHit } from '../../api/present.ts';
import { notFound } from '../../errors.ts';
import { formatReport, table } from '../format.ts';
import { print, withApp } from '../context.ts';
import { csvRecord } from '../../planting/csv/format.ts';
import { neutralise, terminalJson } from '../../text/unicode.ts';
import type { Hit } from '../../hits/hit.ts';

const CSV_COLUMNS = ['id', 'receivedAt', 'kind', 'from', 'callerName', 'to', 'classification', 'callStatus', 'durationSeconds', 'body'] as const;

/** A spreadsheet-safe export: caller text neutralised (controls, bidi) and formula-prefixed. */
function hitsCsv(list: Hit[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'number' ? v : neutralise(String(v)));
  return csvRecord([...CSV_COLUMNS]) + list.map((h) => csvRecord(CSV_COLUMNS.map((c) => cell(h[c])))).join('');
}

/** `hits show` for a person: one field a line, every caller-controlled value neutralised. */
function showHit(h: Hit): string {
  const view = presentHit(h, true);
  const lines = Object.entries(view).filter(([k]) => k !== 'raw' && k !== 'callerInfo')
    .map(([k, v]) => `${k}: ${v === null ? '-' : neutralise(String(v))}`);
  lines.push('raw (as Twilio sent it, shown neutralised):');
  for (const [k, v] of Object.entries(h.raw)) lines.push(`  ${neutralise(k)} = ${neutralise(typeof v === 'string' ? v : JSON.stringify(v))}`);
  return lines.join('\n');
}

export function registerHitCommands(program: Command): void {
  const hits = program.command('hits').description('calls and messages that reached canary numbers');
  hits
    .command('list')
    .description('list hits, oldest first')
    .option('--canary <id>', 'only this canary')
    .option('--classification <c>', 'after-planting, before-planting, unmatched, burn-in, control')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV (caller text neutralised for spreadsheets)')
    .action(async (o) => {
      await withApp(({ services }) => {
        const list = services.hits.list({ canaryId: o.canary, classification: o.classification });
        if (o.csv) return void process.stdout.write(hitsCsv(list));
        if (o.json) return void process.stdout.write(`${terminalJson({ hits: list.map((h) => presentHit(h)) })}\n`);
        print(false, null, () =>
          table(list.map((h) => ({ received: h.receivedAt, kind: h.kind, from: h.from, name: h.callerName, to: h.to,
            class: h.classification, status: h.callStatus, secs: h.durationSeconds })),
          ['received', 'kind', 'from', 'name', 'to', 'class', 'status', 'secs']));
      });
    });
  hits
    .command('show <id>')
    .description('one hit, with every parameter Twilio sent')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withApp(({ services }) => {
        const h = services.hits.get(id);
        if (!h) throw notFound('hit', id);
        // JSON escaped for the terminal (still the same JSON); text with every caller field neutralised.
        process.stdout.write(`${o.json ? terminalJson(presentHit(h, true)) : showHit(h)}\n`);
      });
    });

  program
    .command('report')
    .description('which channels leak: verdict, canaries called, hits, first contact, callers')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const r = services.report();
        print(o.json, r, () => formatReport(r));
      });
    });
}
