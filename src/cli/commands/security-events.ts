import type { Command } from 'commander';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../api/cursor.ts';
import { neutralise, terminalJson } from '../../text/unicode.ts';
import { table } from '../format.ts';
import { withApp } from '../context.ts';

const flags = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(200).optional(),
  json: z.boolean().optional(),
});

export function registerSecurityEventCommands(program: Command): void {
  program
    .command('security-events')
    .description('forged or undecodable webhooks, counted per minute, source, path and reason (newest first)')
    .option('--limit <n>', 'rows per page (1-1000)', '50')
    .option('--cursor <c>', 'the nextCursor a previous page printed')
    .option('--json', 'print JSON (with the raw sample of each kind)')
    .addHelpText('after', '\nExamples:\n  tracer security-events\n  tracer security-events --json --limit 200\n')
    .action(async (raw) => {
      const o = flags.parse(raw);
      await withApp(({ services }) => {
        const page = services.securityEvents.page(o.limit, o.cursor === undefined ? undefined : decodeCursor(o.cursor));
        const nextCursor = page.nextId === null ? null : encodeCursor(page.nextId);
        if (o.json) return void process.stdout.write(`${terminalJson({ events: page.events, nextCursor })}\n`);
        const rows = page.events.map((e) => ({ minute: e.minute, source: neutralise(e.source) || '-', path: e.path, reason: e.reason, count: e.count }));
        process.stdout.write(`${table(rows, ['minute', 'source', 'path', 'reason', 'count'])}\n`);
        if (nextCursor) process.stdout.write(`more: tracer security-events --cursor ${nextCursor}\n`);
      });
    });
}
