import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { App } from '../../app.ts';
import { table } from '../format.ts';
import { consoleActor, print, withApp } from '../context.ts';

const collect = (v: string, all: string[]) => [...all, v];
const who = () => ({ actor: consoleActor(), role: 'admin' });
const channelIds = (app: App, refs: string[]) => refs.map((c) => app.services.channels.get(c).id);

function linkFlags(c: Command): Command {
  return c.option('--channel <id|name>', 'link a channel (repeat)', collect, [])
    .option('--campaign <id>', 'link a campaign (repeat)', collect, [])
    .option('--hit <id>', 'link a hit (repeat)', collect, [])
    .option('--party <id>', 'link a party by id (repeat; see tracer parties list)', collect, []);
}

const NOTICE_FLAGS: Array<[string, string]> = [
  ['whatHappened', '--what-happened <text>'], ['foundAt', '--found-at <time>'], ['dataCategories', '--data-categories <text>'],
  ['realRecordsExposed', '--real-records-exposed <count>'], ['recordsCountSource', '--records-count-source <text>'],
  ['actionsTaken', '--actions-taken <text>'], ['vendorInformedAt', '--vendor-informed-at <time>'],
  ['regulatorNotifiedAt', '--regulator-notified-at <time>'], ['reference', '--reference <text>'],
];

export function registerCaseCommands(program: Command): void {
  const cases = program.command('cases').description('investigations: linked channels, parties, campaigns and hits, notes, the case report and its evidence bundle');

  linkFlags(cases.command('create').description('open a case').requiredOption('--title <title>').option('--description <text>').option('--assignee <name>').option('--json', 'print JSON'))
    .addHelpText('after', '\nExample:\n  tracer cases create --title "Vendor A night shift leak" --channel "Vendor A night shift" --party pty_abc')
    .action(async (o) => {
      await withApp((app) => {
        const c = app.services.cases.create({ title: o.title, description: o.description, assignee: o.assignee, channelIds: channelIds(app, o.channel),
          campaignIds: o.campaign, hitIds: o.hit, partyIds: o.party }, who());
        print(o.json, c, () => `case ${c.id} opened: "${c.title}" (${c.canaries} canaries, ${c.hits} hits)`);
      });
    });

  cases.command('list').description('cases, newest first').option('--limit <n>', 'cases per page', '50').option('--cursor <c>').option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const l = services.cases.list({ limit: z.coerce.number().int().min(1).max(200).parse(o.limit), cursor: o.cursor });
        print(o.json, l, () => table(l.cases.map((c) => ({ id: c.id, status: c.status, title: c.title, assignee: c.assignee, opened: c.createdAt })),
          ['id', 'status', 'title', 'assignee', 'opened']) + (l.nextCursor ? `\n(more: --cursor ${l.nextCursor})` : ''));
      });
    });

  cases.command('show <id>').description('one case with its links and notes').option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withApp(({ services }) => {
        const c = services.cases.detail(id);
        print(o.json, c, () => [`${c.id}  [${c.status}]  ${c.title}`, `assignee: ${c.assignee ?? '-'}   canaries: ${c.canaries}   hits: ${c.hits}`,
          '', table(c.links.map((l) => ({ kind: l.kind, ref: l.ref, by: l.linkedBy, at: l.linkedAt })), ['kind', 'ref', 'by', 'at']),
          ...c.notes.map((n) => `\n${n.createdAt} ${n.author}:\n${n.text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?')}`)].join('\n'));
      });
    });

  linkFlags(cases.command('link <id>').description('link channels, parties, campaigns or hits to a case').option('--json', 'print JSON'))
    .addHelpText('after', '\nExamples:\n  tracer cases link case_abc --party pty_abc\n  tracer cases link case_abc --channel "Vendor A night shift" --hit hit_abc')
    .action(async (id: string, o) => {
      await withApp((app) => {
        const c = app.services.cases.link(id, { channelIds: channelIds(app, o.channel), campaignIds: o.campaign, hitIds: o.hit, partyIds: o.party }, who());
        print(o.json, c, () => `case ${c.id}: ${c.links.length} links, ${c.canaries} canaries, ${c.hits} hits`);
      });
    });

  cases.command('note <id> <text>').description('add a note (author and time kept, logged as evidence)').option('--json', 'print JSON')
    .action(async (id: string, text: string, o) => {
      await withApp(({ services }) => {
        const n = services.cases.addNote(id, { text }, who());
        print(o.json, n, () => `note ${n.id} added to ${id}`);
      });
    });

  const update = cases.command('update <id>').description('status, assignee, and the regulator-notice fields only a person can fill')
    .option('--title <t>').option('--description <text>').option('--status <s>', 'open, reported or closed').option('--assignee <name>').option('--json', 'print JSON');
  for (const [, flag] of NOTICE_FLAGS) update.option(flag);
  update.action(async (id: string, o) => {
    await withApp(({ services }) => {
      const notice = Object.fromEntries(NOTICE_FLAGS.filter(([k]) => o[k] !== undefined).map(([k]) => [k, o[k]]));
      const c = services.cases.update(id, { title: o.title, description: o.description, status: o.status, assignee: o.assignee,
        ...(Object.keys(notice).length ? { notice } : {}) }, who());
      print(o.json, c, () => `case ${c.id} updated (${c.status})`);
    });
  });

  cases.command('report <id>').description('the case report, printable: HTML or PDF (printed by Chromium), Arabic or English')
    .option('--format <f>', 'html or pdf', 'pdf').option('--lang <l>', 'ar or en', 'en').requiredOption('--out <file>', 'where to write it (must not exist)')
    .addHelpText('after', '\nExample:\n  tracer cases report case_abc --format pdf --lang ar --out case.pdf')
    .action(async (id: string, o) => {
      const format = z.enum(['html', 'pdf']).parse(o.format);
      const lang = z.enum(['ar', 'en']).parse(o.lang);
      if (fs.existsSync(o.out)) throw new AppError('out-exists', `${o.out} exists: choose a new file (nothing was written)`);
      await withApp(async ({ services }) => {
        const body = await services.caseReports.produce(id, { format, lang }, who());
        fs.writeFileSync(`${o.out}.partial`, body);
        fs.renameSync(`${o.out}.partial`, o.out);
        process.stdout.write(`${format.toUpperCase()} report (${lang}) of ${id} written to ${o.out} (${body.length} bytes)\n`);
      });
    });
}
