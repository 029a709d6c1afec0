// The attribution report: every channel's verdict from the noise-aware decoder (src/attribution/decoder.ts)
// over the facts as they stand now (src/attribution/facts.ts), with the raw contact figures beside it.
import type { Db } from '../store/db.ts';
import { AppError } from '../errors.ts';
import { controlBackground, type ControlBackground } from '../numbers/background.ts';
import { decodeExplained } from './decoder.ts';
import { indexFacts, type FactsIndex } from './facts-index.ts';
import { loadFacts, type Background } from './facts.ts';
import type { ChannelVerdictName, DecoderOptions, DecoderResult } from './model.ts';
import { partiesByKey, partiesPage, partiesView, withPartyWords, PARTIES_SHOWN, type ChannelParty, type PartiesView, type ReportParty } from '../parties/report-view.ts';
import type { AccessPattern } from '../parties/access.ts';
import type { VariantLink } from '../parties/variant-evidence.ts';

export type Verdict = ChannelVerdictName;

/** Lists inside the report are capped; the totals beside them say how many there were. */
const CALLERS_SHOWN = 20;
const HIT_IDS_SHOWN = 200;
const NOISE_CALLERS_SHOWN = 50;

export interface Caller {
  number: string;
  name: string | null;
}

export interface ChannelVerdict {
  channelId: string;
  name: string;
  kind: string;
  verdict: Verdict;
  /** Posterior probability that this channel leaks. */
  probability: number;
  reasons: string[];
  exposedCanaries: number;
  /** Same as exposedCanaries (kept for clients of the first report). */
  canaries: number;
  /** Exposed canaries that any caller rang after their exposure. */
  canariesCalled: number;
  /** Calls and SMS to exposed canaries after their exposure, from anyone. */
  hits: number;
  /** Earliest contact after exposure on any of its canaries, minutes. */
  firstContactMinutes: number | null;
  callers: Caller[];
  callersTotal: number;
  /** The most likely leak party and its first call on each canary: the evidence behind the verdict. */
  party: Caller | null;
  hitIds: string[];
  /** Parties that rang its canaries after exposure, its decoded party first, then the likeliest (capped: src/parties/report-view.ts). */
  parties?: ChannelParty[];
  partiesTotal?: number;
  /** How its decoded party reaches the tickets; null without one. */
  access?: AccessPattern | null;
  /** Hits whose caller quoted a variant only this channel's copy carries: the strongest evidence (src/parties/variant-evidence.ts). */
  variantEvidence?: VariantLink[];
}

export interface ReportModel {
  backgroundPerNumberDay: number;
  callBackProbability: number;
  prior: number;
  method: DecoderResult['method'];
  background: Background;
  thresholds: DecoderOptions['thresholds'];
}

export interface Report {
  generatedAt: string;
  channels: ChannelVerdict[];
  /** Pass as `cursor` for the next page of channels; null on the last page. */
  nextCursor: string | null;
  model: ReportModel;
  campaigns: Array<{ id: string; name: string; design: string; status: string; canaries: number }>;
  /** A page of parties, likeliest first; `partiesNextCursor` asks for the next (`partiesCursor`). */
  parties?: ReportParty[];
  partiesTotal?: number;
  partiesNextCursor?: string | null;
  noise: {
    unmatchedHits: number;
    beforePlantingHits: number;
    controlHits: number;
    burnInHits: number;
    noiseCallers: string[];
    noiseCallersTotal: number;
  } & ControlBackground;
}

export interface ReportQuery {
  limit?: number;
  cursor?: string;
  partiesCursor?: string;
  /** Only these parties (party ids or caller numbers), each with all its channels: a party's page. */
  parties?: string[];
  options?: Partial<DecoderOptions>;
}

interface Decoded {
  key: string;
  result: DecoderResult;
  explain: (channelId: string) => string[];
  idx: FactsIndex;
  channels: Array<{ id: string; name: string; kind: string }>;
  background: Background;
  names: Map<string, string>;
  view: PartiesView;
}

/**
 * Decodes once per state of the facts (new hits, plantings, channels, or a new minute) and pages
 * over the result, so reading page after page does not decode again.
 */
export class AttributionReports {
  private cached: Decoded | null = null;

  constructor(private readonly db: Db, private readonly clock: () => Date, private readonly options: Partial<DecoderOptions> = {}) {}

  report(q: ReportQuery = {}): Report {
    const now = this.clock();
    const d = this.decoded(now, q.options);
    const limit = q.limit ?? 200;
    const start = q.cursor ? decodeCursor(q.cursor, d.channels.length) : 0;
    const page = d.channels.slice(start, start + limit);
    const posterior = new Map(d.result.channels.map((c) => [c.channelId, c]));
    return {
      generatedAt: now.toISOString(),
      channels: page.map((ch) => this.channelVerdict(d, ch, posterior.get(ch.id)!)),
      nextCursor: start + limit < d.channels.length ? encodeCursor(start + limit) : null,
      model: {
        backgroundPerNumberDay: d.result.backgroundPerNumberDay,
        callBackProbability: d.result.callBackProbability,
        prior: d.result.prior,
        method: d.result.method,
        background: d.background,
        thresholds: { ...DEFAULT_THRESHOLDS, ...q.options?.thresholds, ...this.options.thresholds },
      },
      campaigns: this.campaigns(),
      ...this.partiesPart(d, q),
      noise: this.noise(d, now),
    };
  }

  /** Drops the cached decode: the next report reads every fact again (`tracer report --rebuild`). */
  rebuild(): void {
    this.cached = null;
  }

  private decoded(now: Date, extra: Partial<DecoderOptions> = {}): Decoded {
    const key = `${this.factsVersion()}|${Math.floor(now.getTime() / 60_000)}|${JSON.stringify(extra)}`;
    if (this.cached?.key === key) return this.cached;
    const facts = loadFacts(this.db, now);
    const options = { ...this.options, ...extra };
    const input = {
      channels: facts.channels.map((c) => c.id),
      channelNames: Object.fromEntries(facts.channels.map((c) => [c.id, c.name])),
      exposures: facts.exposures,
      backgroundPerNumberDay: facts.background.perNumberDay,
      now: now.getTime(),
      options,
    };
    const idx = indexFacts(input.channels, input.exposures, facts.calls());
    const { result, explain, partyProbability } = decodeExplained({ ...input, calls: [], prebuilt: idx });
    const names = facts.callerNames();
    this.cached = { key, result, explain, idx, channels: facts.channels, background: facts.background, names, view: partiesView(this.db, idx, result, names, partyProbability) };
    return this.cached;
  }

  /** Changes whenever a fact the report reads changes. */
  private factsVersion(): string {
    const row = this.db.prepare(
      `SELECT (SELECT coalesce(max(rowid), 0) || ':' || count(*) FROM hits) || '|' ||
              (SELECT count(*) || ':' || coalesce(max(exposed_at), '') || ':' || coalesce(max(withdrawn_at), '') || ':' || total(length(exposed_at)) FROM plantings) || '|' ||
              (SELECT count(*) || ':' || coalesce(max(created_at), '') FROM channels) || '|' ||
              (SELECT count(*) || ':' || coalesce(max(updated_at), '') || ':' || total(status = 'accepted') FROM parties) || ':' || (SELECT count(*) FROM party_numbers) || ':' || (SELECT count(*) FROM hit_notes) || '|' ||
              (SELECT count(*) || ':' || total(is_control) || ':' || coalesce(max(ready_at), '') || coalesce(max(retired_at), '') FROM canary_numbers)`,
    ).pluck().get() as string;
    return row;
  }

  private channelVerdict(d: Decoded, ch: { id: string; name: string; kind: string }, post: DecoderResult['channels'][number]): ChannelVerdict {
    const raw = rawContacts(d.idx, ch.id);
    const caller = (n: string): Caller => ({ number: n, name: d.names.get(n) ?? null });
    return {
      channelId: ch.id,
      name: ch.name,
      kind: ch.kind,
      verdict: post.verdict,
      probability: post.probability,
      reasons: withPartyWords(d.view.byChannel.get(ch.id), d.explain(ch.id)),
      exposedCanaries: post.exposedCanaries,
      canaries: post.exposedCanaries,
      canariesCalled: raw.canariesCalled,
      hits: raw.hits,
      firstContactMinutes: raw.firstMs === null ? null : Math.round(raw.firstMs / 6_000) / 10,
      callers: raw.callers.slice(0, CALLERS_SHOWN).map(caller),
      callersTotal: raw.callers.length,
      party: post.party && !post.party.startsWith('withheld:') ? caller(post.party) : null,
      hitIds: post.evidenceCallIds.slice(0, HIT_IDS_SHOWN),
      parties: d.view.byChannel.get(ch.id)?.parties ?? [],
      partiesTotal: d.view.byChannel.get(ch.id)?.partiesTotal ?? 0,
      access: d.view.byChannel.get(ch.id)?.access ?? null,
      variantEvidence: d.view.byChannel.get(ch.id)?.variantEvidence ?? [],
    };
  }

  private partiesPart(d: Decoded, q: ReportQuery): Pick<Report, 'parties' | 'partiesTotal' | 'partiesNextCursor'> {
    if (q.parties) {
      const parties = partiesByKey(this.db, d.view, [...new Set(q.parties)]);
      return { parties, partiesTotal: parties.length, partiesNextCursor: null };
    }
    const total = d.view.parties.length;
    const start = q.partiesCursor ? decodeCursor(q.partiesCursor, total, 'pt') : 0;
    return {
      parties: partiesPage(this.db, d.view, start),
      partiesTotal: total,
      partiesNextCursor: start + PARTIES_SHOWN < total ? encodeCursor(start + PARTIES_SHOWN, 'pt') : null,
    };
  }

  private campaigns(): Report['campaigns'] {
    return this.db.prepare(
      `SELECT c.id, c.name, c.design, c.status, (SELECT count(*) FROM canaries k WHERE k.campaign_id = c.id) AS canaries
       FROM campaigns c ORDER BY c.created_at DESC, c.id LIMIT 100`,
    ).all() as Report['campaigns'];
  }

  private noise(d: Decoded, now: Date): Report['noise'] {
    const counts = new Map(this.db.prepare('SELECT classification, count(*) FROM hits GROUP BY classification').raw().all() as Array<[string, number]>);
    const noisy: string[] = [];
    for (const [caller, s] of d.idx.callers) if (s.noise > 0 && !caller.startsWith('withheld:')) noisy.push(caller);
    noisy.sort();
    return {
      unmatchedHits: counts.get('unmatched') ?? 0,
      beforePlantingHits: counts.get('before-planting') ?? 0,
      controlHits: counts.get('control') ?? 0,
      burnInHits: counts.get('burn-in') ?? 0,
      noiseCallers: noisy.slice(0, NOISE_CALLERS_SHOWN),
      noiseCallersTotal: noisy.length,
      ...controlBackground(this.db, now),
    };
  }
}

const DEFAULT_THRESHOLDS = { leaking: 0.95, suspect: 0.5, clean: 0.01 };

/** Contacts after exposure on a channel's canaries, from anyone: the figures an investigator checks first. */
function rawContacts(idx: FactsIndex, channelId: string) {
  let hits = 0;
  let canariesCalled = 0;
  let firstMs: number | null = null;
  const callers: string[] = [];
  const seen = new Set<string>();
  for (const k of idx.canariesOf.get(channelId) ?? []) {
    let called = false;
    for (const pair of idx.callsOn.get(k.canaryId) ?? []) {
      const after = pair.times.filter((t) => t >= k.from);
      if (after.length === 0) continue;
      called = true;
      hits += after.length + (pair.count - pair.times.length);
      firstMs = firstMs === null ? after[0]! - k.from : Math.min(firstMs, after[0]! - k.from);
      if (!seen.has(pair.caller) && !pair.caller.startsWith('withheld:')) {
        seen.add(pair.caller);
        callers.push(pair.caller);
      }
    }
    if (called) canariesCalled++;
  }
  return { hits, canariesCalled, firstMs, callers };
}

const encodeCursor = (offset: number, list: 'ch' | 'pt' = 'ch') => Buffer.from(`${list}:${offset}`).toString('base64url');
function decodeCursor(cursor: string, total: number, list: 'ch' | 'pt' = 'ch'): number {
  const m = new RegExp(`^${list}:(\\d{1,9})$`).exec(Buffer.from(cursor, 'base64url').toString());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(n) || n > total) throw new AppError('invalid-cursor', 'cursor: not a cursor this report gave', 400);
  return n;
}
