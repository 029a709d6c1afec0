// Campaigns: one question ("which of these channels leak?") asked with one design. A campaign holds
// its design, its canaries (canaries.campaign_id) and their plantings; later exposures of a staggered
// or adaptive design are scheduled and planted by the outbox when due. A channel worked in shifts is
// one channel per shift to the design, as to the decoder: each shift's tickets are planted while it
// is on duty (src/attribution/shift-design.ts), and a canary whose first ticket is for a shift not on
// duty now is created when that shift comes on (scheduled_canaries, 'campaign-canary-due').
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
import { ADAPTIVE_REUSE_BELOW, adaptiveRoundDays, proposeRound, reusableCanaries } from '../attribution/adaptive.ts';
import type { AttributionReports } from '../attribution/report.ts';
import type { ChannelPosterior, ChannelVerdictName } from '../attribution/model.ts';
import { decoderChannelIds, separateShifts, splitShiftId, timeForShifts } from '../attribution/shift-design.ts';
import { channelSchedules } from '../planting/exposure.ts';
import { exposedShift, type ShiftSchedule } from '../planting/shifts.ts';

/** Exposures a plan lists per design, and a campaign's exposure listing: the totals say how many there were. */
const PLAN_EXPOSURES_SHOWN = 100;
const EXPOSURES_SHOWN = 1000;

export interface CampaignExposure {
  canaryId: string | null;
  channelId: string;
  /** The shift on duty when the ticket was (or will be) planted; null for a channel not worked in shifts. */
  shift: string | null;
  at: string;
  state: 'exposed' | 'planted' | 'scheduled' | 'failed';
}

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
  /** Canaries not created yet: their first ticket waits for its shift to come on duty. */
  scheduledCanaries: number;
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
    const { ids, schedules, channels } = this.expand(o.channelIds);
    const start = this.d.clock().getTime();
    const budget = o.budget ?? Math.max(4, Math.ceil(ids.length / 4));
    const plan = planDesigns({ channels: ids, maxLeakers: o.maxLeakers, budget, q: o.q, days: o.days, worlds: o.worlds ?? 40, shifts: schedules, start });
    return {
      worlds: plan.worlds,
      /** The channels as the design and the decoder see them: one per shift of a channel worked in shifts. */
      channels,
      designs: plan.designs.map((e) => ({
        design: e.design, numbers: e.numbers, tickets: e.tickets, maxTickets: e.maxTickets, pExact: e.pExact, pInnocentAccused: e.pInnocentAccused, spec: e.spec,
        ...(schedules.size > 0 ? this.plannedExposures({ ...o, design: e.design }, ids, schedules, start) : {}),
      })),
    };
  }

  /** What `create` would plant into shifts and when (the first round, for adaptive). */
  private plannedExposures(o: z.output<typeof campaignInput>, ids: string[], schedules: Map<string, ShiftSchedule>, start: number) {
    const timed = timeForShifts(this.design(o, ids, schedules), schedules, start);
    const all = timed.canaries.flatMap((k, canary) => k.plantings.filter((p) => p.shift).map((p) => ({
      canary, channelId: p.channelId, shift: p.shift!, plantAt: new Date(start + p.offsetMinutes * 60_000).toISOString(),
    }))).sort((a, b) => a.plantAt.localeCompare(b.plantAt) || a.canary - b.canary);
    return { exposures: all.slice(0, PLAN_EXPOSURES_SHOWN), exposuresTotal: all.length };
  }

  /** The campaign's channels as the decoder sees them (a shift each), with their schedules. */
  private expand(channelIds: string[]) {
    const resolved = this.d.canaryService.resolveChannels(channelIds);
    const all = channelSchedules(this.d.db);
    const schedules = new Map(resolved.filter((c) => all.has(c.id)).map((c) => [c.id, all.get(c.id)!]));
    const ids = decoderChannelIds(resolved.map((c) => c.id), schedules);
    const nameOf = new Map(resolved.map((c) => [c.id, c.name]));
    const channels = ids.map((id) => {
      const { channelId, shift } = splitShiftId(id, schedules);
      return { channelId: id, baseChannelId: channelId, shift, name: shift ? `${nameOf.get(channelId)} (${shift} shift)` : nameOf.get(channelId)! };
    });
    return { ids, schedules, channels };
  }

  /** The design a campaign would plant, built once: its numbers are what the cost is counted on, and `create` plants it. */
  designFor(input: CampaignInput): Design {
    const o = campaignInput.parse(input);
    const { ids, schedules } = this.expand(o.channelIds);
    return this.design(o, ids, schedules);
  }

  /** onProgress: canaries planted so far of the design's (after each batch of the pipeline). */
  async create(input: CampaignInput, prebuilt?: Design, watch: Pick<PlantOptions, 'onProgress'> = {}) {
    const o = campaignInput.parse(input);
    const { ids: decoderIds, schedules } = this.expand(o.channelIds);
    const ids = this.d.canaryService.resolveChannels(o.channelIds).map((c) => c.id);
    const design = prebuilt ?? this.design(o, decoderIds, schedules);
    const id = newId('cp');
    const at = this.d.clock().toISOString();
    const locale = o.locale ?? this.d.defaultLocale;
    this.d.db.transaction(() => {
      this.d.db.prepare(`INSERT INTO campaigns (id, name, design, status, channel_ids, params, plan, locale, created_at)
        VALUES (?, ?, ?, 'planting', ?, ?, ?, ?, ?)`).run(id, o.name, o.design, JSON.stringify(ids), JSON.stringify({ ...design.params, maxLeakers: o.maxLeakers, budget: o.budget ?? null }),
        JSON.stringify({ canaries: design.canaries.length, tickets: designTickets(design), identifiability: design.identifiability ?? null }), locale, at);
      this.d.evidence.append(at, 'campaign', id, { name: o.name, design: o.design, channelIds: ids, params: design.params });
    })();
    const planted = await this.plantDesign(id, design, locale, schedules, watch.onProgress);
    this.d.db.prepare(`UPDATE campaigns SET status = 'running' WHERE id = ?`).run(id);
    return { ...this.get(id), canaries: planted.canaries, plantings: planted.plantings };
  }

  /** Adaptive: the round that best splits the channels still undetermined; planted when `plant` is true. Meant to be asked every adaptiveRoundDays(maxLeakers) days. */
  async next(id: string, o: { plant?: boolean } & Pick<PlantOptions, 'onProgress'> = {}) {
    const c = this.get(id);
    const { ids, schedules } = this.expand(c.channelIds);
    const report = this.d.attribution.report({ limit: 1000 });
    const mine = report.channels.filter((ch) => ids.includes(ch.channelId));
    const used = c.canaries;
    const budget = (c.params.budget as number | null) ?? Math.max(4, Math.ceil(c.channelIds.length / 2));
    const posteriors = mine.map((ch) => posteriorFor(ch.channelId, ch.probability, ch.verdict, ch.exposedCanaries, ch.canariesCalled));
    const reusable = reusableCanaries(this.holders(id, schedules), posteriors, ADAPTIVE_REUSE_BELOW);
    const round = proposeRound(posteriors, budget - used, {
      maxLeakers: c.params.maxLeakers ?? 1, budget, q: report.model.callBackProbability, staggerMinutes: c.params.staggerMinutes || adaptiveStagger(c.channelIds.length, budget, adaptiveRoundDays(c.params.maxLeakers ?? 1)), roundDays: adaptiveRoundDays(c.params.maxLeakers ?? 1),
    }, { reusable });
    if (!round) return { proposal: null, reason: 'no exposure is worth planting: the channels are decided or the budget is spent' };
    const timed = timeForShifts(round, schedules, this.d.clock().getTime());
    // canaries: those the round plants on; newCanaries: those of them that take a new number (the rest are reused).
    const proposal = { canaries: timed.canaries.length, newCanaries: timed.canaries.filter((k) => !k.canaryId).length, tickets: designTickets(timed), design: timed.canaries };
    if (!o.plant) return { proposal };
    const planted = await this.plantDesign(id, round, c.locale, schedules, o.onProgress);
    return { proposal, planted };
  }

  get(id: string): Campaign {
    const row = this.d.db.prepare(`SELECT c.*,
        (SELECT count(*) FROM canaries k WHERE k.campaign_id = c.id) AS canaries,
        (SELECT count(*) FROM plantings p JOIN canaries k ON k.id = p.canary_id WHERE k.campaign_id = c.id) AS plantings,
        (SELECT count(*) FROM scheduled_plantings s WHERE s.campaign_id = c.id AND s.done_at IS NULL) AS scheduled,
        (SELECT count(*) FROM scheduled_canaries s WHERE s.campaign_id = c.id AND s.done_at IS NULL) AS scheduled_canaries
      FROM campaigns c WHERE c.id = ?`).get(id) as CampaignRow | undefined;
    if (!row) throw notFound('campaign', id);
    return toCampaign(row);
  }

  list(o: { limit?: number; cursor?: string } = {}): { campaigns: Campaign[]; nextCursor: string | null } {
    const limit = o.limit ?? 50;
    const rows = this.d.db.prepare(`SELECT c.*, (SELECT count(*) FROM canaries k WHERE k.campaign_id = c.id) AS canaries, 0 AS plantings,
        (SELECT count(*) FROM scheduled_plantings s WHERE s.campaign_id = c.id AND s.done_at IS NULL) AS scheduled,
        (SELECT count(*) FROM scheduled_canaries s WHERE s.campaign_id = c.id AND s.done_at IS NULL) AS scheduled_canaries
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

  /** Outbox job: a canary whose first ticket waited for its shift. Created now, its later exposures scheduled. */
  async plantCanaryDue(payload: { scheduledCanaryId: number }): Promise<void> {
    const s = this.d.db.prepare('SELECT s.*, c.locale FROM scheduled_canaries s JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = ? AND s.done_at IS NULL')
      .get(payload.scheduledCanaryId) as { id: number; campaign_id: string; channel_ids: string; later: string; locale: Locale } | undefined;
    if (!s) return;
    let made: { id: string } | undefined;
    let outcome = 'planted';
    try {
      [made] = await this.d.canaryService.plantSpecs([JSON.parse(s.channel_ids) as string[]], s.locale, { campaignId: s.campaign_id });
    } catch (err) {
      outcome = `failed: ${(err as Error).message}`;
    }
    this.d.db.transaction(() => {
      this.d.db.prepare('UPDATE scheduled_canaries SET done_at = ?, outcome = ?, canary_id = ? WHERE id = ?').run(this.d.clock().toISOString(), outcome, made?.id ?? null, s.id);
      if (made) for (const p of JSON.parse(s.later) as Array<{ channelId: string; dueAt: string }>) this.schedule(s.campaign_id, made.id, p.channelId, p.dueAt);
    })();
  }

  /**
   * Who holds a ticket on each of the campaign's canaries whose number is still in service, planted
   * or scheduled, as decoder ids: a channel worked in shifts holds it in every shift, so that a reused
   * canary never gets a second ticket of one channel (src/attribution/shift-design.ts).
   */
  private holders(id: string, schedules: Map<string, ShiftSchedule>): Array<{ canaryId: string; channelId: string }> {
    const rows = this.d.db.prepare(`
      SELECT p.canary_id, p.channel_id FROM plantings p JOIN canaries k ON k.id = p.canary_id JOIN canary_numbers n ON n.id = k.number_id
        WHERE k.campaign_id = @id AND n.status = 'assigned'
      UNION
      SELECT s.canary_id, s.channel_id FROM scheduled_plantings s JOIN canaries k ON k.id = s.canary_id JOIN canary_numbers n ON n.id = k.number_id
        WHERE s.campaign_id = @id AND n.status = 'assigned'`).raw().all({ id }) as Array<[string, string]>;
    return rows.flatMap(([canaryId, channelId]) => decoderChannelIds([channelId], schedules).map((d) => ({ canaryId, channelId: d })));
  }

  /** Every exposure of the campaign, made or to come, with the shift it reaches and when (the shift as the decoder reads it). */
  exposures(id: string): { exposures: CampaignExposure[]; total: number } {
    const c = this.get(id);
    const schedules = this.expand(c.channelIds).schedules;
    const shiftAt = (channelId: string, at: string) => {
      const s = schedules.get(channelId);
      return s ? exposedShift(s, Date.parse(at))?.shift ?? null : null;
    };
    const rows = this.d.db.prepare(`
      SELECT p.canary_id, p.channel_id, coalesce(p.exposed_at, p.planted_at, p.created_at) AS at,
             CASE WHEN p.exposed_at IS NOT NULL THEN 'exposed' WHEN p.status IN ('not-planted', 'needs-review') THEN 'failed' ELSE 'planted' END AS state
        FROM plantings p JOIN canaries k ON k.id = p.canary_id WHERE k.campaign_id = @id
      UNION ALL
      SELECT canary_id, channel_id, due_at, CASE WHEN done_at IS NULL THEN 'scheduled' ELSE 'failed' END FROM scheduled_plantings
        WHERE campaign_id = @id AND (done_at IS NULL OR outcome <> 'planted')
      UNION ALL
      SELECT NULL, j.value, s.due_at, CASE WHEN s.done_at IS NULL THEN 'scheduled' ELSE 'failed' END FROM scheduled_canaries s, json_each(s.channel_ids) j
        WHERE s.campaign_id = @id AND (s.done_at IS NULL OR s.outcome <> 'planted')
      UNION ALL
      SELECT NULL, json_extract(j.value, '$.channelId'), json_extract(j.value, '$.dueAt'), 'scheduled' FROM scheduled_canaries s, json_each(s.later) j
        WHERE s.campaign_id = @id AND s.done_at IS NULL
      ORDER BY 3, 2 LIMIT @limit`).raw().all({ id, limit: EXPOSURES_SHOWN }) as Array<[string | null, string, string, CampaignExposure['state']]>;
    const total = this.d.db.prepare(`SELECT
        (SELECT count(*) FROM plantings p JOIN canaries k ON k.id = p.canary_id WHERE k.campaign_id = @id)
      + (SELECT count(*) FROM scheduled_plantings WHERE campaign_id = @id AND (done_at IS NULL OR outcome <> 'planted'))
      + (SELECT coalesce(sum(json_array_length(channel_ids) + CASE WHEN done_at IS NULL THEN json_array_length(later) ELSE 0 END), 0)
           FROM scheduled_canaries WHERE campaign_id = @id AND (done_at IS NULL OR outcome <> 'planted'))`).pluck().get({ id }) as number;
    return { exposures: rows.map(([canaryId, channelId, at, state]) => ({ canaryId, channelId, shift: shiftAt(channelId, at), at, state })), total };
  }

  /** The design planted is the one `plan` simulated: the same builder, weight and stagger (src/attribution/plan.ts). */
  private design(o: z.output<typeof campaignInput>, ids: string[], schedules: Map<string, ShiftSchedule> = new Map()): Design {
    return separateShifts(this.unseparated(o, ids), schedules);
  }

  private unseparated(o: z.output<typeof campaignInput>, ids: string[]): Design {
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
    const stagger = o.staggerMinutes ?? adaptiveStagger(n, budget, adaptiveRoundDays(o.maxLeakers));
    const round = proposeRound(flat, budget, { maxLeakers: o.maxLeakers, budget, q: o.q ?? 0.7, staggerMinutes: stagger, roundDays: adaptiveRoundDays(o.maxLeakers) });
    if (!round) throw new AppError('invalid-request', 'budget too small for a first adaptive round', 400);
    return round;
  }

  /**
   * Plants each canary's first exposures now and schedules the later ones. Shift plantings are timed to
   * their shift first; a canary none of whose tickets is due now is created when its first one is.
   */
  private async plantDesign(campaignId: string, design: Design, locale: Locale, schedules: Map<string, ShiftSchedule> = new Map(), onProgress?: PlantOptions['onProgress']): Promise<{ canaries: number; plantings: number }> {
    const now = this.d.clock().getTime();
    const timed = timeForShifts(design, schedules, now);
    const at = (offset: number) => new Date(now + offset * 60_000).toISOString();
    // A reused canary (an adaptive round's) keeps its number: each of its new tickets is a later exposure, due at its offset.
    const reused = timed.canaries.flatMap((k) => (k.canaryId ? k.plantings.map((p) => ({ canaryId: k.canaryId!, channelId: p.channelId, dueAt: at(p.offsetMinutes) })) : []));
    const specs = timed.canaries.filter((k) => !k.canaryId).map((k) => {
      // Untimed designs start each canary now; a shift's tickets keep the time chosen for them.
      const first = k.plantings.some((p) => p.shift) ? 0 : Math.min(...k.plantings.map((p) => p.offsetMinutes));
      const due = Math.min(...k.plantings.map((p) => p.offsetMinutes - first));
      const head = k.plantings.filter((p) => p.offsetMinutes - first === due);
      return { due, head: head.map((p) => p.channelId), later: k.plantings.filter((p) => !head.includes(p)).map((p) => ({ channelId: p.channelId, dueAt: at(p.offsetMinutes - first) })) };
    });
    const nowSpecs = specs.filter((s) => s.due <= 0);
    const canaries = await this.d.canaryService.plantSpecs(nowSpecs.map((s) => s.head), locale, { campaignId, onProgress });
    let plantings = canaries.reduce((n, c) => n + c.plantings.length, 0);
    this.d.db.transaction(() => {
      canaries.forEach((c, i) => {
        for (const p of nowSpecs[i]!.later) this.schedule(campaignId, c.id, p.channelId, p.dueAt);
        plantings += nowSpecs[i]!.later.length;
      });
      for (const p of reused) {
        if (!this.d.canaries.find(p.canaryId)) throw notFound('canary', p.canaryId);
        this.schedule(campaignId, p.canaryId, p.channelId, p.dueAt);
        plantings++;
      }
      for (const s of specs.filter((x) => x.due > 0)) {
        const due = at(s.due);
        const r = this.d.db.prepare('INSERT INTO scheduled_canaries (campaign_id, channel_ids, later, due_at) VALUES (?, ?, ?, ?)').run(campaignId, JSON.stringify(s.head), JSON.stringify(s.later), due);
        this.d.outbox.enqueue('campaign-canary-due', { scheduledCanaryId: Number(r.lastInsertRowid) }, due, due);
        plantings += s.head.length + s.later.length;
      }
    })();
    return { canaries: canaries.length, plantings };
  }

  private schedule(campaignId: string, canaryId: string, channelId: string, due: string): void {
    const r = this.d.db.prepare('INSERT INTO scheduled_plantings (campaign_id, canary_id, channel_id, due_at) VALUES (?, ?, ?, ?)').run(campaignId, canaryId, channelId, due);
    this.d.outbox.enqueue('campaign-plant-due', { scheduledId: Number(r.lastInsertRowid) }, due, due);
  }
}

/** A channel's standing in the shape the adaptive proposer reads. */
const posteriorFor = (channelId: string, probability: number, verdict: ChannelVerdictName, exposedCanaries: number, calledCanaries: number): ChannelPosterior => ({
  channelId, probability, verdict, exposedCanaries, calledCanaries, party: null, evidenceCallIds: [], latenciesMinutes: [], reasons: [],
});

interface CampaignRow {
  id: string; name: string; design: Campaign['design']; status: Campaign['status']; channel_ids: string; params: string; locale: Locale;
  created_at: string; canaries: number; plantings: number; scheduled: number; scheduled_canaries: number;
}

const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id, name: r.name, design: r.design, status: r.status, channelIds: JSON.parse(r.channel_ids), params: JSON.parse(r.params),
  locale: r.locale, createdAt: r.created_at, canaries: r.canaries, plantings: r.plantings, scheduled: r.scheduled, scheduledCanaries: r.scheduled_canaries,
});
