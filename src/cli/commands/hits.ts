import type { Command } from 'commander';
import { z } from 'zod';
import { presentHit } from '../../api/present.ts';
import { notFound } from '../../errors.ts';
import { HIT_CLASSIFICATIONS, HIT_KINDS, type Hit } from '../../hits/hit.ts';
import { formatReport } from '../format.ts';
import { EXPORT_FORMATS, exportReport } from '../../exports/report.ts';
import { neutralise, terminalJson } from '../../text/unicode.ts';
import { flags, instantFlag, print, withStore } from '../context.ts';
import { listFlags, listFlagSchema, writeList, type ListSpec } from '../output.ts';

const listSchema = z.strictObject({
  canary: z.string().min(1).max(100).optional(),
  channel: z.string().min(1).max(200).optional(),
  classification: z.enum(HIT_CLASSIFICATIONS).optional(),
  kind: z.enum(HIT_KINDS).optional(),
  since: instantFlag.optional(),
  until: instantFlag.optional(),
  ...listFlagSchema,
});

const hitList: ListSpec<Hit> = {
  name: 'hits',
  columns: ['id', 'received', 'kind', 'from', 'name', 'to', 'class', 'status', 'secs', 'canary', 'body'],
  row: (h) => ({ id: h.id, received: h.receivedAt, kind: h.kind, from: h.from, name: h.callerName, to: h.to,
    class: h.classification, status: h.callStatus, secs: h.durationSeconds, canary: h.canaryId, body: h.body }),
  present: (h) => presentHit(h),
};

/** Options every list of hits understands; `--format csv|jsonl` streams the whole range. */
export const listOptions = (c: Command) => c
  .option('--format <format>', 'table (one page), json, jsonl or csv (the whole list, streamed)')
  .option('--limit <n>', 'at most this many (default: a page for the table, everything otherwise)')
  .option('--cursor <cursor>', 'continue where a previous page ended')
  .option('--json', 'print JSON (same as --format json)');

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
  listOptions(hits
    .command('list')
    .description('list hits, oldest first')
    .option('--canary <id>', 'only this canary')
    .option('--channel <id>', 'only canaries planted in this channel (id or name)')
    .option('--classification <c>', HIT_CLASSIFICATIONS.join(', '))
    .option('--kind <kind>', 'call or sms')
    .option('--since <iso>', 'received at or after (ISO 8601 with offset)')
    .option('--until <iso>', 'received before')
    .option('--csv', 'the same as --format csv (caller text neutralised for spreadsheets)'))
    .action(async (opts) => {
      const { csv, ...rest } = opts;
      const o = flags(listSchema, csv ? { ...rest, format: 'csv' } : rest);
      await withStore('hits:read', async ({ db }) => {
        const { HitRepository } = await import('../../hits/repository.ts');
        const repo = new HitRepository(db);
        const channelId = await channelFlag(db, o.channel);
        const filter = { canaryId: o.canary, channelId, classification: o.classification, kind: o.kind, since: o.since, until: o.until };
        await writeList(listFlags(o), hitList, (cursor, limit) => repo.list(filter, { cursor, limit }), {}, () => repo.count(filter, o.cursor));
      });
    });
  hits
    .command('show <id>')
    .description('one hit, with every parameter Twilio sent')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withStore('hits:read', async ({ db }) => {
        const { HitRepository } = await import('../../hits/repository.ts');
        const h = new HitRepository(db).get(id);
        if (!h) throw notFound('hit', id);
        // JSON escaped for the terminal (still the same JSON); text with every caller field neutralised.
        process.stdout.write(`${o.json ? terminalJson(presentHit(h, true)) : showHit(h)}\n`);
      });
    });

  program
    .command('report')
    .description('which channels leak: verdict and probability, the main reason, canaries called, hits, first contact, callers')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'channels per page (default 200)')
    .option('--cursor <cursor>', 'the page after the one that printed this cursor')
    .option('--rebuild', 'read every fact again instead of the kept decode')
    .option('--format <f>', 'csv or jsonl: every channel as rows, streamed (--bom for spreadsheets)')
    .option('--bom', 'with --format csv: start with a UTF-8 BOM')
    .action(async (o) => {
      // The report reads the store alone: no targets, provider or sample database to build first.
      await withStore('report:read', async ({ db, clock }) => {
        const { AttributionReports } = await import('../../attribution/report.ts');
        const attribution = new AttributionReports(db, clock);
        if (o.rebuild) attribution.rebuild();
        if (o.format) return void (await exportReport((q) => attribution.report(q), z.enum(EXPORT_FORMATS).parse(o.format), (c) => void process.stdout.write(c), { bom: !!o.bom }));
        const limit = o.limit === undefined ? undefined : z.coerce.number().int().min(1).max(1000).parse(o.limit);
        const r = attribution.report({ limit, cursor: o.cursor });
        print(o.json, r, () => formatReport(r));
      });
    });
}

/** --channel (id or name) as a channel id; the channels' module is loaded only when the flag is given. */
export async function channelFlag(db: import('../../store/db.ts').Db, idOrName: string | undefined): Promise<string | undefined> {
  if (idOrName === undefined) return undefined;
  const { ChannelRepository } = await import('../../channels/channels.ts');
  return channelIdOf(new ChannelRepository(db), idOrName);
}

/** A channel named at the console by id or name. */
export function channelIdOf(repo: { find(id: string): { id: string } | undefined; findByName(n: string): { id: string } | undefined }, idOrName: string): string {
  const c = repo.find(idOrName) ?? repo.findByName(idOrName);
  if (!c) throw notFound('channel', idOrName);
  return c.id;
}
