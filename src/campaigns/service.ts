// Campaigns: one question ("which of these channels leak?") asked with one design. A campaign holds
// its design, its canaries (canaries.campaign_id) and their plantings; later exposures of a staggered
// or adaptive design are scheduled and planted by the outbox when due.
import { z } from 'zod';
import type { Db } from '../store/db.ts';
import { AppError, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { LOCALES, type Locale } from '../identities/types.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { CanaryService } from '../canaries/service.ts';
import type { CanaryRepository } from '../canaries/repository.ts';
import type { PlantingPipeline, PlantOptions } from '../planting/pipeline.ts';
import { dedicatedDesign, designTickets, splitDesign, type Design } from '../attribution/designs.ts';
import { planDesigns, buildDesign, adaptiveStagger, sharedWeight } from '../attribution/plan.ts';
import { proposeRound } from '../attribution/adaptive.ts';
import type { AttributionReports } from '../attribution/report.ts';
import type { ChannelPosterior, ChannelVerdictName } from '../attribution/model.ts';

export const DESIGNS = ['dedicated', 'split', 'staggered', 'adaptive'] as const;

export const campaignInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  channelIds: z.array(z.string().min(1).max(100)).min(1).max(1000),
  design: z.enum(DESIGNS),
  /** Most canary numbers the campaign may use. */
  budget: z.number().int().min(1).max(10_000).optional(),
  maxLeakers: z.number().int().min(1).max(3).default(1),
  staggerMinutes: z.number().int().min(0).max(10_080).optional(),
  locale: z.enum(LOCALES).optional(),
  /** Plan only: assumed call-back probability, days to wait, worlds to simulate. */
  q: z.number().min(0.05).max(0.99).optional(),
  days: z.number().int().min(1).max(90).optional(),
  worlds: z.number().int().min(10).max(500).optional(),
  confirmCost: z.boolean().optional(),
});
export type CampaignInput = z.input<typeof campaignInput>;

export interface Campaign {
  id: string;
  name: string;
  design: (typeof DESIGNS)[number];
  status: 'planting' | 'running' | 'decided' | 'closed';
  channelIds: string[];
  params: Record<string, number>;
  locale: Locale;
  createdAt: string;
  canaries: number;
  plantings: number;
  scheduled: number;
}

export interface CampaignDeps {
  db: Db;
  canaryService: CanaryService;
  canaries: CanaryRepository;
  pipeline: PlantingPipeline;
  outbox: Outbox;
  evidence: EvidenceLog;
  attribution: AttributionReports;
  clock: () => Date;
  defaultLocale: Locale;
}

export class CampaignService {
  constructor(private readonly d: CampaignDeps) {}

  /** Every offered design's expected accuracy and cost, by simulation; plants nothing. */
  plan(input: CampaignInput) {
    const o = campaignInput.parse(input);
    this.d.canaryService.resolveChannels(o.channelIds);
    const budget = o.budget ?? Math.max(4, Math.ceil(o.channelIds.length / 4));
    const plan = planDesigns({ channels: o.channelIds, maxLeakers: o.maxLeakers, budget, q: o.q, days: o.days, worlds: o.worlds ?? 40 });
    return {
      worlds: plan.worlds,
      designs: plan.designs.map((e) => ({ design: e.design, numbers: e.numbers, tickets: e.tickets, pExact: e.pExact, pInnocentAccused: e.pInnocentAccused, spec: e.spec })),
    };
  }

  /** The design a campaign would plant, built once: its numbers are what the cost is counted on, and `create` plants it. */
  designFor(input: CampaignInput): Design {
    const o = campaignInput.parse(input);
    return this.design(o, this.d.canaryService.resolveChannels(o.channelIds).map((c) => c.id));
  }

  /** onProgress: canaries planted so far of the design's (after each batch of the pipeline). */
  async create(input: CampaignInput, prebuilt?: Design, watch: Pick<PlantOptions, 'onProgress'> = {}) {
    const o = campaignInput.parse(input);
    const channels = this.d.canaryService.resolveChannels(o.channelIds);
    const ids = channels.map((c) => c.id);
    const design = prebuilt ?? this.design(o, ids);
    const id = newId('cp');
    const at = this.d.clock().toISOString();
    const locale = o.locale ?? this.d.defaultLocale;
    this.d.db.transaction(() => {
      this.d.db.prepare(`INSERT INTO campaigns (id, name, design, status, channel_ids, params, plan, locale, created_at)
        VALUES (?, ?, ?, 'planting', ?, ?, ?, ?, ?)`).run(id, o.name, o.design, JSON.stringify(ids), JSON.stringify({ ...design.params, maxLeakers: o.maxLeakers, budget: o.budget ?? null }),
        JSON.stringify({ canaries: design.canaries.length, tickets: designTickets(design), identifiability: design.identifiability ?? null }), locale, at);
      this.d.evidence.append(at, 'campaign', id, { name: o.name, design: o.design, channelIds: ids, params: design.params });
    })();
    const planted = await this.plantDesign(id, design, locale, watch.onProgress);
    this.d.db.prepare(`UPDATE campaigns SET status = 'running' WHERE id = ?`).run(id);
    return { ...this.get(id), canaries: planted.canaries, plantings: planted.plantings };
  }

  /** Adaptive: the round that best splits the channels still undetermined; planted when `plant` is true. */
  async next(id: string, o: { plant?: boolean } & Pick<PlantOptions, 'onProgress'> = {}) {
    const c = this.get(id);
    const report = this.d.attribution.report({ limit: 1000 });
    const mine = report.channels.filter((ch) => c.channelIds.includes(ch.channelId));
    const used = c.canaries;
    const budget = (c.params.budget as number | null) ?? Math.max(4, Math.ceil(c.channelIds.length / 2));
    const posteriors = mine.map((ch) => posteriorFor(ch.channelId, ch.probability, ch.verdict, ch.exposedCanaries, ch.canariesCalled));
    const round = proposeRound(posteriors, budget - used, {
      maxLeakers: c.params.maxLeakers ?? 1, budget, q: report.model.callBackProbability, staggerMinutes: c.params.staggerMinutes || adaptiveStagger(c.channelIds.length, budget, 3), roundDays: 3,
    });
    if (!round) return { proposal: null, reason: 'no exposure is worth planting: the channels are decided or the budget is spent' };
    const proposal = { canaries: round.canaries.length, tickets: designTickets(round), design: round.canaries };
    if (!o.plant) return { proposal };
    const planted = await this.plantDesign(id, round, c.locale, o.onProgress);
    return { proposal, planted };
  }

  get(id: string): Campaign {
    const row = this.d.db.prepare(`SELECT c.*,
        (SELECT count(*) FROM canaries k WHERE k.campaign_id = c.id) AS canaries,
        (SELECT count(*) FROM plantings p JOIN canaries k ON k.id = p.canary_id WHERE k.campaign_id = c.id) AS plantings,
        (SELECT count(*) FROM scheduled_plantings s WHERE s.campaign_id = c.id AND s.done_at IS NULL) AS scheduled
      FROM campaigns c WHERE c.id = ?`).get(id) as CampaignRow | undefined;
    if (!row) throw notFound('campaign', id);
    return toCampaign(row);
  }

  list(o: { limit?: number; cursor?: string } = {}): { campaigns: Campaign[]; nextCursor: string | null } {
    const limit = o.limit ?? 50;
    const rows = this.d.db.prepare(`SELECT c.*, (SELECT count(*) FROM canaries k WHERE k.campaign_id = c.id) AS canaries, 0 AS plantings,
        (SELECT count(*) FROM scheduled_plantings s WHERE s.campaign_id = c.id AND s.done_at IS NULL) AS scheduled
      FROM campaigns c WHERE (@cursor IS NULL OR c.id > @cursor) ORDER BY c.id LIMIT @limit`).all({ cursor: o.cursor ?? null, limit: limit + 1 }) as CampaignRow[];
    const page = rows.slice(0, limit).map(toCampaign);
    return { campaigns: page, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  /** Outbox job: a staggered exposure that is due. */
  async plantDue(payload: { scheduledId: number }): Promise<void> {
    const s = this.d.db.prepare('SELECT * FROM scheduled_plantings WHERE id = ? AND done_at IS NULL').get(payload.scheduledId) as
      { id: number; canary_id: string; channel_id: string } | undefined;
    if (!s) return;
    const canary = this.d.canaries.find(s.canary_id)!;
    let outcome = 'planted';
    try {
      await this.d.pipeline.extend(canary, this.d.canaryService.resolveChannels([s.channel_id]));
    } catch (err) {
      outcome = `failed: ${(err as Error).message}`;
    }
    this.d.db.prepare('UPDATE scheduled_plantings SET done_at = ?, outcome = ? WHERE id = ?').run(this.d.clock().toISOString(), outcome, s.id);
  }

  /** The design planted is the one `plan` simulated: the same builder, weight and stagger (src/attribution/plan.ts). */
  private design(o: z.output<typeof campaignInput>, ids: string[]): Design {
    const n = ids.length;
    const budget = o.budget ?? (o.design === 'dedicated' ? n : Math.max(4, Math.ceil(n / 4)));
    const days = o.days ?? 14;
    const scenario = { channels: ids, maxLeakers: o.maxLeakers, q: o.q ?? 0.7, backgroundPerNumberDay: 0.12, days, controls: 0 };
    if (o.design === 'dedicated') return dedicatedDesign(ids, Math.max(1, Math.floor(budget / n)));
    const weight = sharedWeight(budget);
    if (o.design !== 'adaptive') {
      return buildDesign({ design: o.design, numbers: budget, weight, staggerMinutes: o.staggerMinutes }, scenario, 1);
    }
    // adaptive: a first round from a flat prior; `next` proposes the rest.
    const flat = ids.map((channelId) => posteriorFor(channelId, 0.05, 'undetermined', 0, 0));
    const stagger = o.staggerMinutes ?? adaptiveStagger(n, budget, 3);
    const round = proposeRound(flat, budget, { maxLeakers: o.maxLeakers, budget, q: o.q ?? 0.7, staggerMinutes: stagger, roundDays: 3 });
    if (!round) throw new AppError('invalid-request', 'budget too small for a first adaptive round', 400);
    return round;
  }

  /** Plants each canary's first exposures now and schedules the later ones. */
  private async plantDesign(campaignId: string, design: Design, locale: Locale, onProgress?: PlantOptions['onProgress']): Promise<{ canaries: number; plantings: number }> {
    const now = this.d.clock().getTime();
    const specs = design.canaries.map((k) => {
      const first = Math.min(...k.plantings.map((p) => p.offsetMinutes));
      return { now: k.plantings.filter((p) => p.offsetMinutes === first).map((p) => p.channelId), later: k.plantings.filter((p) => p.offsetMinutes !== first).map((p) => ({ ...p, offsetMinutes: p.offsetMinutes - first })) };
    });
    const canaries = await this.d.canaryService.plantSpecs(specs.map((s) => s.now), locale, { campaignId, onProgress });
    let plantings = canaries.reduce((n, c) => n + c.plantings.length, 0);
    this.d.db.transaction(() => {
      canaries.forEach((c, i) => {
        for (const p of specs[i]!.later) {
          const due = new Date(now + p.offsetMinutes * 60_000).toISOString();
          const r = this.d.db.prepare('INSERT INTO scheduled_plantings (campaign_id, canary_id, channel_id, due_at) VALUES (?, ?, ?, ?)').run(campaignId, c.id, p.channelId, due);
          this.d.outbox.enqueue('campaign-plant-due', { scheduledId: Number(r.lastInsertRowid) }, due);
          plantings++;
        }
      });
    })();
    return { canaries: canaries.length, plantings };
  }
}

/** A channel's standing in the shape the adaptive proposer reads. */
const posteriorFor = (channelId: string, probability: number, verdict: ChannelVerdictName, exposedCanaries: number, calledCanaries: number): ChannelPosterior => ({
  channelId, probability, verdict, exposedCanaries, calledCanaries, party: null, evidenceCallIds: [], latenciesMinutes: [], reasons: [],
});

interface CampaignRow {
  id: string; name: string; design: Campaign['design']; status: Campaign['status']; channel_ids: string; params: string; locale: Locale;
  created_at: string; canaries: number; plantings: number; scheduled: number;
}

const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id, name: r.name, design: r.design, status: r.status, channelIds: JSON.parse(r.channel_ids), params: JSON.parse(r.params),
  locale: r.locale, createdAt: r.created_at, canaries: r.canaries, plantings: r.plantings, scheduled: r.scheduled,
});
