import type { Command } from 'commander';
import { z } from 'zod';
import { DESIGNS } from '../../campaigns/service.ts';
import { clean, table } from '../format.ts';
import { print, withApp } from '../context.ts';

const int = (name: string, v: string | undefined, max: number) => (v === undefined ? undefined : z.coerce.number({ error: `${name}: a whole number` }).int(`${name}: a whole number`).min(1).max(max).parse(v));
const collect = (v: string, all: string[]) => [...all, v];

function campaignFlags(c: Command): Command {
  return c
    .requiredOption('--channel <id|name>', 'a channel the question is about (repeat)', collect, [])
    .option('--max-leakers <d>', 'most channels assumed to leak at once (1-3)', '1')
    .option('--budget <n>', 'most canary numbers to use')
    .option('--q <p>', 'assumed probability that a leak party calls a canary it received (plan)')
    .option('--days <n>', 'days to wait for calls (plan)')
    .option('--stagger-minutes <n>', 'minutes between one canary\'s exposures (staggered, adaptive)')
    .option('--locale <locale>', 'ar-SA or en-US')
    .option('--json', 'print JSON');
}

function input(services: { channels: { get(id: string): { id: string } } }, o: Record<string, any>, design = 'dedicated') {
  return {
    name: o.name ?? 'plan', design: design as (typeof DESIGNS)[number],
    channelIds: (o.channel as string[]).map((c) => services.channels.get(c).id),
    maxLeakers: int('--max-leakers', o.maxLeakers, 3), budget: int('--budget', o.budget, 10_000),
    q: o.q === undefined ? undefined : z.coerce.number().min(0.05).max(0.99).parse(o.q), days: int('--days', o.days, 90),
    staggerMinutes: int('--stagger-minutes', o.staggerMinutes, 10_080), locale: o.locale,
  };
}

export function registerCampaignCommands(program: Command): void {
  const campaigns = program.command('campaigns').description('ask "which of these channels leak?" with a design, and see how well each design would answer');

  campaignFlags(campaigns.command('plan').description('simulate every design for these channels before anything is planted'))
    .addHelpText('after', '\nExample:\n  tracer campaigns plan --channel "Vendor A" --channel "CRM export" --max-leakers 1 --budget 16')
    .action(async (o) => {
      await withApp('canaries:write', ({ services }) => {
        const p = services.campaigns.plan(input(services, o));
        const shifts = p.channels.filter((c) => c.shift);
        print(o.json, p, () => [
          `${p.worlds} simulated worlds per design` + (shifts.length ? ` over ${p.channels.length} channels, a shift each counted as its own: ${shifts.map((c) => clean(c.name)).join(', ')}` : ''),
          table(p.designs.map((d) => ({
            design: d.design, numbers: Math.round(d.numbers * 10) / 10, tickets: Math.round(d.tickets), 'most tickets': d.maxTickets, 'P(exact set named)': d.pExact.toFixed(2), 'P(innocent accused)': d.pInnocentAccused.toFixed(2),
          })), ['design', 'numbers', 'tickets', 'P(exact set named)', 'P(innocent accused)']),
          ...p.designs.filter((d) => d.exposures?.length).map((d) => `\n${d.design}: tickets into shifts (${d.exposures!.length} of ${d.exposuresTotal})\n` + table(
            d.exposures!.map((e) => ({ canary: e.canary + 1, channel: e.channelId, shift: clean(e.shift), 'planted at': e.plantAt })), ['canary', 'channel', 'shift', 'planted at'])),
        ].join('\n'));
      });
    });

  campaignFlags(campaigns.command('create').description('plant a campaign').requiredOption('--name <name>').requiredOption('--design <design>', DESIGNS.join(', ')))
    .option('--yes', 'go ahead although the numbers cost more a month than COST_CONFIRM_THRESHOLD')
    .action(async (o) => {
      await withApp('canaries:write', async ({ services }, actor) => {
        const asked = input(services, o, z.enum(DESIGNS).parse(o.design));
        const { confirmCost, watchPlanting } = await import('./canaries.ts');
        const design = services.campaigns.designFor(asked);
        await confirmCost(await services.costs.campaign(asked.locale, design.canaries.length), services.costs.threshold, o.yes === true);
        const c = await watchPlanting(o.json === true, (onProgress) => services.campaigns.create(asked, design, { onProgress }));
        services.audit.record(actor.id, actor.role, 'campaign-create', c.id);
        print(o.json, c, () => `campaign ${c.id} "${c.name}" (${c.design}): ${c.canaries} canaries, ${c.plantings} plantings (${c.scheduled} scheduled for later)`);
      });
    });

  campaigns.command('list').description('campaigns with their design and status').option('--json', 'print JSON')
    .action(async (o) => {
      await withApp('canaries:read', ({ services }, actor) => {
        services.audit.record(actor.id, actor.role, 'campaign-list', '*');
        const l = services.campaigns.list({ limit: 200 });
        print(o.json, l, () => table(l.campaigns.map((c) => ({ id: c.id, name: c.name, design: c.design, status: c.status, canaries: c.canaries, scheduled: c.scheduled })),
          ['id', 'name', 'design', 'status', 'canaries', 'scheduled']));
      });
    });

  campaigns.command('show <id>').option('--json', 'print JSON')
    .action(async (id, o) => {
      await withApp('canaries:read', ({ services }, actor) => {
        const c = services.campaigns.get(id);
        services.audit.record(actor.id, actor.role, 'campaign-show', c.id);
        print(o.json, c, () => JSON.stringify(c, null, 2));
      });
    });

  campaigns.command('exposures <id>').description("a campaign's exposures, made and to come: channel, the shift each reaches, when (a registry read, audited)").option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  tracer campaigns exposures cp_01J...')
    .action(async (id, o) => {
      await withApp('canaries:read', ({ services }, actor) => {
        const x = services.campaigns.exposures(id);
        services.audit.record(actor.id, actor.role, 'campaign-exposures', id);
        print(o.json, x, () => `${x.exposures.length} of ${x.total} exposures\n` + table(x.exposures.map((e) => ({
          at: e.at, channel: e.channelId, shift: e.shift ? clean(e.shift) : '-', state: e.state, canary: e.canaryId ?? '(created when due)',
        })), ['at', 'channel', 'shift', 'state', 'canary']));
      });
    });

  campaigns.command('next <id>').description('propose the adaptive round that best splits the channels still undetermined').option('--plant', 'plant the proposal').option('--json', 'print JSON')
    .action(async (id, o) => {
      await withApp('canaries:write', async ({ services }, actor) => {
        services.audit.record(actor.id, actor.role, 'campaign-next', id);
        const { watchPlanting } = await import('./canaries.ts');
        const n = await watchPlanting(o.json === true, (onProgress) => services.campaigns.next(id, { plant: o.plant === true, onProgress }));
        print(o.json, n, () => (n.proposal ? `next round: ${n.proposal.canaries} canaries (${n.proposal.newCanaries} new numbers, ${n.proposal.canaries - n.proposal.newCanaries} reused), ${n.proposal.tickets} tickets${'planted' in n && n.planted ? ' (planted)' : ' (not planted: add --plant)'}` : String(n.reason)));
      });
    });
}
