import type { Command } from 'commander';
import { z } from 'zod';
import { EXPORT_FORMATS } from '../../exports/report.ts';
import { exportParties } from '../../parties/export.ts';
import { write } from '../output.ts';
import { partyPage } from '../../parties/page.ts';
import { clean, table } from '../format.ts';
import { consoleActor, print, withApp } from '../context.ts';

const collect = (v: string, all: string[]) => [...all, v];

/** tracer parties: the console's investigator (acts are logged as cli:<user>). */
export function registerPartyCommands(program: Command): void {
  const parties = program.command('parties').description('outside parties: caller numbers grouped as one caller');
  const actor = () => consoleActor();

  parties.command('list').description('parties with their status and numbers').option('--propose', 'first run the proposal rules').option('--json', 'print JSON')
    .option('--format <f>', 'csv or jsonl: every party as rows with its calls, SMS and first contact, streamed (names neutralised for spreadsheets)')
    .option('--bom', 'with --format csv: start with a UTF-8 BOM (for spreadsheets)')
    .addHelpText('after', '\nExample:\n  tracer parties list --format csv --bom > parties.csv')
    .action(async (o) => {
      const format = o.format === undefined ? undefined : z.enum(EXPORT_FORMATS).parse(o.format);
      await withApp(async ({ services }) => {
        if (o.propose) services.parties.propose(`tracer (asked by ${actor()})`);
        if (format) return void (await exportParties(services.db, format, write, { bom: !!o.bom }));
        const l = services.parties.list();
        print(o.json, { parties: l }, () => table(l.map((p) => ({ id: p.id, name: p.name, status: p.status, numbers: p.numbers.join(' '), grounds: p.grounds.map((g) => `${g.kind}: ${g.value}`).join('; ') })),
          ['id', 'name', 'status', 'numbers', 'grounds']));
      });
    });

  parties.command('show <id>').description("a party's page: numbers, channels, contacts, canaries reached (a registry read, audited)").option('--json', 'print JSON')
    .action(async (id, o) => {
      await withApp(async ({ services }) => {
        const p = services.parties.get(id);
        const report = await services.reportOffThread({ limit: 1, parties: [p.id, ...p.numbers] });
        const page = partyPage(services.db, p, report.parties ?? [], true);
        services.audit.record(actor(), 'admin', 'party-canaries', p.id);
        print(o.json, page, () => [
          `${clean(page.name)} (${page.id}, ${page.status})`,
          `numbers: ${page.numbers.join(', ')}`,
          `calls ${page.calls}, sms ${page.sms}, first ${page.firstContact ?? '-'}, last ${page.lastContact ?? '-'}, canaries reached ${page.canariesReached}`,
          table(page.channels.map((c) => ({ channel: c.channelId, probability: c.probability, access: c.access, 'first contact (min)': c.firstContactMinutes })), ['channel', 'probability', 'access', 'first contact (min)']),
          ...page.notes.map((n) => `note ${n.at} ${clean(n.actor)}: ${clean(n.text)}`),
        ].join('\n'));
      });
    });

  parties.command('create').description('group numbers as one accepted party').requiredOption('--name <name>').requiredOption('--number <e164>', 'a number of the party (repeat)', collect, []).option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const p = services.parties.create({ name: o.name, numbers: o.number }, actor());
        print(o.json, p, () => `${p.id}: ${p.numbers.join(', ')}`);
      });
    });
  parties.command('accept <id>').description('accept a proposed party').action(async (id) => {
    await withApp(({ services }) => print(false, null, () => `accepted ${services.parties.accept(id, actor()).id}`));
  });
  parties.command('merge <into>').description('merge parties into one').requiredOption('--from <id>', 'a party to merge in (repeat)', collect, [])
    .action(async (into, o) => {
      await withApp(({ services }) => {
        const p = services.parties.merge(into, { from: o.from }, actor());
        print(false, null, () => `${p.id}: ${p.numbers.join(', ')}`);
      });
    });
  parties.command('split <id>').description('split numbers off into a new party').requiredOption('--number <e164>', 'a number to split off (repeat)', collect, []).requiredOption('--name <name>')
    .action(async (id, o) => {
      await withApp(({ services }) => {
        const r = services.parties.split(id, { numbers: o.number, name: o.name }, actor());
        print(false, null, () => `${r.kept.id} keeps ${r.kept.numbers.join(', ')}; ${r.split.id} has ${r.split.numbers.join(', ')}`);
      });
    });
  parties.command('rename <id> <name>').description('rename a party').action(async (id, name) => {
    await withApp(({ services }) => print(false, null, () => `renamed ${services.parties.rename(id, { name }, actor()).id}`));
  });
  parties.command('note <id> <text>').description('annotate a party').action(async (id, text) => {
    await withApp(({ services }) => print(false, null, () => `noted on ${services.parties.note(id, { text }, actor()).id}`));
  });
}
