// The read pages. Each handler: parse the query (strict zod), read through the services (or
// queries.ts), audit registry reads like the API, render. Sections a role may not read are left out.
// The attribution report is always the off-thread one: a page never holds the event loop the
// webhooks answer on while the decoder runs.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { can, type Permission } from '../access/tokens.ts';
import { notFound } from '../errors.ts';
import type { Channel } from '../channels/channels.ts';
import type { ChannelVerdict, Report } from '../attribution/report.ts';
import type { Localised } from './i18n.ts';
import * as q from './queries.ts';
import { unprovenCounts } from '../evidence/verify-bound.ts';
import { sealForInvestigator, sealVerifyReport } from '../evidence/seal.ts';

export type Render = (req: Request, res: Response, view: string, ctx: Record<string, unknown>) => void;

const PAGE = 50;
const id = z.string().max(100);
const opt = (s: z.ZodString) => s.optional().transform((v) => (v === '' ? undefined : v));
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/);

const hitsQuery = z.object({
  since: opt(localTime), until: opt(localTime), channelId: opt(id), canaryId: opt(id), caller: opt(z.string().max(200)),
  classification: opt(z.string().max(40)), kind: opt(z.string().max(10)), before: z.coerce.number().int().positive().optional(),
});
const liveQuery = hitsQuery.extend({ after: z.coerce.number().int().min(0) });

const auditRead = (s: Services, req: Request, action: string, subject: string) => {
  const who = req.session!;
  s.audit.record(who.tokenId, who.role, action, subject);
};
const may = (req: Request, p: Permission) => can(req.session!.role, p);

/** "Access pattern" is what the channel's dimensions say of who sees it and when. */
const accessPattern = (c: Channel | undefined) =>
  c ? [c.dimensions.system, c.dimensions.handler, c.dimensions.shift].filter(Boolean).join(' · ') : '';

function probabilityChart(L: Localised, channels: ChannelVerdict[]) {
  return {
    labels: channels.map((c) => c.name),
    values: channels.map((c) => Math.round(c.probability * 1000) / 10),
    table: channels.map((c) => `${L.pct(c.probability)} · ${L.t(c.verdict)}`),
  };
}

/** Datetime-local inputs are in the reader's zone; the store is UTC. */
function zonedToUtc(local: string | undefined, timeZone: string): string | undefined {
  if (!local) return undefined;
  const asUtc = new Date(`${local.length === 16 ? `${local}:00` : local}Z`);
  const inZone = new Date(asUtc.toLocaleString('en-US', { timeZone }));
  const offset = inZone.getTime() - new Date(asUtc.toLocaleString('en-US', { timeZone: 'UTC' })).getTime();
  return new Date(asUtc.getTime() - offset).toISOString();
}

export function pages(s: Services, render: Render, L: (req: Request) => Localised) {
  const patternsOf = () => Object.fromEntries(s.channels.list().map((c) => [c.id, accessPattern(c)]));

  function hitFilter(req: Request, f: z.output<typeof hitsQuery>) {
    const tz = req.prefs!.timeZone;
    return { ...f, since: zonedToUtc(f.since, tz), until: zonedToUtc(f.until, tz) };
  }
  const liveUrl = (f: Record<string, unknown>, after: number) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (typeof v === 'string' && v && k !== 'before') p.set(k, v);
    p.set('after', String(after));
    return `/live/hits?${p}`;
  };

  return {
    async overview(req: Request, res: Response) {
      const l = L(req);
      const ctx: Record<string, unknown> = { warnings: overviewWarnings(req, l) };
      let report: Report | undefined;
      if (may(req, 'report:read')) {
        report = await s.reportOffThread({ limit: 20 });
        ctx.report = report;
        ctx.patterns = patternsOf();
        ctx.probChart = probabilityChart(l, report.channels);
      }
      if (may(req, 'hits:read')) {
        const after = q.lastHitSeq(s.db);
        ctx.hits = q.findHits(s.db, { classification: 'after-planting', limit: 10 }).hits;
        ctx.liveUrl = liveUrl({ classification: 'after-planting' }, after);
      }
      if (may(req, 'canaries:read')) {
        auditRead(s, req, 'dashboard-campaign-list', '*');
        ctx.campaigns = s.campaigns.list({ limit: 20 }).campaigns.filter((c) => c.status === 'planting' || c.status === 'running');
        ctx.canSeeCampaigns = true;
      } else if (report) {
        ctx.campaigns = report.campaigns.filter((c) => c.status === 'planting' || c.status === 'running');
      }
      render(req, res, 'overview.njk', ctx);
    },

    async channels(req: Request, res: Response) {
      const cursor = z.string().max(200).optional().parse(req.query.cursor);
      if (may(req, 'report:read')) {
        const report = await s.reportOffThread({ limit: 100, cursor });
        return render(req, res, 'channels.njk', { report, patterns: patternsOf(), probChart: probabilityChart(L(req), report.channels) });
      }
      render(req, res, 'channels.njk', { channels: s.channels.list(), patterns: patternsOf() });
    },

    async channel(req: Request, res: Response) {
      const l = L(req);
      const channel = s.channels.get(id.parse(req.params.id));
      const ctx: Record<string, unknown> = { channel, pattern: accessPattern(channel) };
      if (may(req, 'report:read')) ctx.verdict = await findVerdict(channel.id);
      if (may(req, 'canaries:read')) {
        auditRead(s, req, 'dashboard-channel-plantings', channel.id);
        ctx.plantings = q.channelPlantings(s.db, channel.id);
      }
      if (may(req, 'hits:read')) {
        const days = q.channelHitsPerDay(s.db, channel.id);
        ctx.perDay = { labels: days.map((d) => l.day(d.day)), values: days.map((d) => d.hits), table: days.map((d) => l.num(d.hits)) };
        const counts = q.channelLatencyHistogram(s.db, channel.id);
        const edges = q.LATENCY_BUCKETS.map((m) => (m < 60 ? `${l.num(m)} ${l.t('minutes')}` : `${l.num(m / 60)} ${l.t('hours')}`));
        const labels = counts.map((_, i) => (i < edges.length ? `< ${edges[i]}` : `≥ ${edges[edges.length - 1]}`));
        ctx.latency = { labels, values: counts, table: counts.map((c) => l.num(c)) };
        ctx.hits = q.findHits(s.db, { channelId: channel.id, limit: 20 }).hits;
        ctx.liveUrl = liveUrl({ channelId: channel.id }, q.lastHitSeq(s.db));
      }
      render(req, res, 'channel.njk', ctx);
    },

    hits(req: Request, res: Response) {
      const f = hitsQuery.parse(req.query);
      const after = q.lastHitSeq(s.db);
      const page = q.findHits(s.db, { ...hitFilter(req, f), limit: PAGE });
      const next = new URLSearchParams(Object.entries(f).filter(([k, v]) => typeof v === 'string' && v && k !== 'before') as Array<[string, string]>);
      if (page.nextBefore) next.set('before', String(page.nextBefore));
      render(req, res, 'hits.njk', {
        f, hits: page.hits, channels: s.channels.list(), classifications: ['after-planting', 'before-planting', 'unmatched', 'burn-in', 'control'],
        nextUrl: page.nextBefore ? `/hits?${next}` : null, liveUrl: f.before ? null : liveUrl(f, after),
      });
    },

    /** Polled by htmx: the hits newer than `after`, and a poller that asks for the ones after those. 204 when none. */
    live(req: Request, res: Response) {
      const f = liveQuery.parse(req.query);
      const page = q.findHits(s.db, { ...hitFilter(req, f), after: f.after, limit: 100 });
      if (page.hits.length === 0) return void res.status(204).end();
      render(req, res, 'partials/live.njk', { hits: page.hits, liveUrl: liveUrl(f, page.hits[0]!.seq) });
    },

    hit(req: Request, res: Response) {
      const hit = q.findHit(s.db, id.parse(req.params.id));
      if (!hit) throw notFound('hit', String(req.params.id));
      render(req, res, 'hit.njk', { hit, events: hit.kind === 'call' ? q.statusEvents(s.db, hit.providerSid) : [] });
    },

    async campaigns(req: Request, res: Response) {
      const cursor = z.string().max(100).optional().parse(req.query.cursor);
      auditRead(s, req, 'dashboard-campaign-list', '*');
      const list = s.campaigns.list({ limit: 20, cursor });
      const report = may(req, 'report:read') ? await s.reportOffThread({ limit: 1000 }) : null;
      const verdicts = new Map(report?.channels.map((c) => [c.channelId, c]) ?? []);
      const names = new Map(s.channels.list().map((c) => [c.id, c.name]));
      const campaigns = [];
      for (const c of list.campaigns) {
        const full = s.campaigns.get(c.id);
        const next = full.design === 'adaptive' && full.status !== 'closed' ? await s.campaigns.next(c.id) : { proposal: null, reason: full.design };
        campaigns.push({
          ...full, next,
          channels: full.channelIds.map((cid) => ({ id: cid, name: names.get(cid) ?? cid, verdict: verdicts.get(cid)?.verdict, probability: verdicts.get(cid)?.probability })),
        });
      }
      render(req, res, 'campaigns.njk', { campaigns, nextUrl: list.nextCursor ? `/campaigns?cursor=${encodeURIComponent(list.nextCursor)}` : null });
    },

    numbers(req: Request, res: Response) {
      auditRead(s, req, 'dashboard-list-numbers', '*');
      const { numbers, monthlyTotals } = s.numberService.list();
      const byStatus = new Map<string, number>();
      for (const n of numbers) byStatus.set(n.status, (byStatus.get(n.status) ?? 0) + 1);
      render(req, res, 'numbers.njk', {
        numbers, monthlyTotals, controls: numbers.filter((n) => n.isControl).length,
        byStatus: [...byStatus].map(([status, count]) => ({ status, count })),
      });
    },

    async evidence(req: Request, res: Response) {
      const after = z.coerce.number().int().min(0).default(0).parse(req.query.after);
      // Facts and checkpoints too, as `tracer evidence verify` gives it, off the webhooks' thread, and
      // shared by the views of the next minute while the log does not grow (the page says when).
      const verified = await s.evidenceService.recentVerification();
      const entries = s.evidence.list(PAGE + 1, after);
      let shown = entries.slice(0, PAGE);
      // The log read whole is the canary registry: as in GET /api/v1/evidence, an investigator sees
      // registry facts only of canaries a call has touched, and that read is audited.
      const investigator = req.session!.role === 'investigator';
      if (investigator) {
        const p = sealForInvestigator(s.db, shown);
        shown = p.entries;
        if (p.revealedCanaries.length > 0) auditRead(s, req, 'evidence', p.revealedCanaries.join(','));
      } else auditRead(s, req, 'evidence', '*');
      const chain = investigator ? sealVerifyReport(verified) : verified;
      render(req, res, 'evidence.njk', {
        chain, entries: shown,
        // Rows from before binding, as `tracer evidence verify` and the API name them: neither failed nor silently passed.
        unproven: Object.entries(unprovenCounts(s.db)).map(([table, count]) => ({ table, count })),
        nextUrl: entries.length > PAGE ? `/evidence?after=${shown[shown.length - 1]!.seq}` : null,
        prevUrl: after > 0 ? `/evidence?after=${Math.max(0, after - PAGE)}` : null,
      });
    },
  };

  async function findVerdict(channelId: string): Promise<ChannelVerdict | undefined> {
    let cursor: string | undefined;
    do {
      const r = await s.reportOffThread({ limit: 1000, cursor });
      const v = r.channels.find((c) => c.channelId === channelId);
      if (v) return v;
      cursor = r.nextCursor ?? undefined;
    } while (cursor);
    return undefined;
  }

  function overviewWarnings(req: Request, l: Localised) {
    const w = q.warnings(s.db, s.clock(), { monthlyBudget: s.config.numbers.monthlyBudget, lookupDailyBudget: s.config.numbers.lookupDailyBudget });
    const out: Array<{ kind: string; text: string; href?: string }> = [];
    const numbers = may(req, 'numbers:read');
    if (numbers && w.missingNumbers) out.push({ kind: 'missing-numbers', text: `${l.num(w.missingNumbers)} ${l.t('missingNumbers')}`, href: '/numbers' });
    if (numbers && w.releaseFailures) out.push({ kind: 'release-failures', text: `${l.num(w.releaseFailures)} ${l.t('releaseFailures')}`, href: '/numbers' });
    for (const b of w.forgedBursts) out.push({ kind: 'forged-webhooks', text: `${l.num(b.count)} ${l.t('forgedBurst')} ${l.date(b.windowStart)}` });
    if (numbers && w.numbersBudget) out.push({ kind: 'numbers-budget', text: `${l.t('budgetNear')}: ${l.num(w.numbersBudget.spent)} / ${l.num(w.numbersBudget.cap)} ${w.numbersBudget.currency}`, href: '/numbers' });
    if (numbers && w.lookupBudget) out.push({ kind: 'lookup-budget', text: `${l.t('lookupNear')}: ${l.num(w.lookupBudget.spent)} / ${l.num(w.lookupBudget.cap)}` });
    if (w.disabledOutputs) out.push({ kind: 'alert-outputs-disabled', text: `${l.num(w.disabledOutputs)} ${l.t('outputsDisabled')}` });
    return out;
  }
}
