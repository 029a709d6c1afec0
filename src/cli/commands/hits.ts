import { z } from 'zod';
import type { Command } from 'commander';
import { presentHit } from '../../api/present.ts';
import { notFound } from '../../errors.ts';
import { formatReport, table } from '../format.ts';
import { print, withApp } from '../context.ts';

export function registerHitCommands(program: Command): void {
  const hits = program.command('hits').description('calls and messages that reached canary numbers');
  hits
    .command('list')
    .description('list hits, oldest first')
    .option('--canary <id>', 'only this canary')
    .option('--classification <c>', 'after-planting, before-planting, unmatched, burn-in, control')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const list = services.hits.list({ canaryId: o.canary, classification: o.classification });
        print(o.json, { hits: list.map((h) => presentHit(h)) }, () =>
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
        print(o.json, presentHit(h, true), () => JSON.stringify(presentHit(h, true), null, 2));
      });
    });

  program
    .command('report')
    .description('which channels leak: verdict and probability, the main reason, canaries called, hits, first contact, callers')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'channels per page (default 200)')
    .option('--cursor <cursor>', 'the page after the one that printed this cursor')
    .option('--rebuild', 'read every fact again instead of the kept decode')
    .action(async (o) => {
      await withApp(({ services }) => {
        if (o.rebuild) services.attribution.rebuild();
        const limit = o.limit === undefined ? undefined : z.coerce.number().int().min(1).max(1000).parse(o.limit);
        const r = services.report({ limit, cursor: o.cursor });
        print(o.json, r, () => formatReport(r));
      });
    });

  program
    .command('evidence')
    .description('check the hash chain of the evidence log')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const v = services.evidence.verify();
        print(o.json, v, () => (v.ok ? `evidence log intact: ${v.entries} entries` : `evidence log BROKEN at entry ${v.brokenAt}`));
        if (!v.ok) process.exitCode = 1;
      });
    });
}
