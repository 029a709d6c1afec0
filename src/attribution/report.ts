// The attribution report: every channel's verdict from the noise-aware decoder (src/attribution/decoder.ts)
// over the facts as they stand now (src/attribution/facts.ts), with the raw contact figures beside it.
import type { Db } from '../store/db.ts';
import { AppError } from '../errors.ts';
import { controlBackground, type ControlBackground } from '../numbers/background.ts';
import { decodeExplained } from './decoder.ts';
import { firstSlot, indexFacts, TIMES_PER_PAIR, type FactsIndex, type IndexCache } from './facts-index.ts';
import { loadFacts, measuredBackground, type AttributionFacts, type Background } from './facts.ts';
import { StoredCalls, type CallerNames } from './stored-calls.ts';
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
  names: CallerNames;
  view: PartiesView;
  raw: Map<string, RawContacts>;
  classifications: Map<string, number>;
  controlCalls: number;
  /** Each channel's verdict, worded when a page first shows it. */
  verdicts: Map<string, ChannelVerdict>;
  noisy: { first: string[]; total: number };
}

/** The triggers that move fact_revisions (migrations 20261222100000 and 20261223100000): all present, or no revision is trusted. */
const REVISION_TRIGGERS = [
  'fact_revision_hits_delete', 'fact_revision_hits_update', 'fact_revision_hits_insert',
  ...['plantings', 'canary_numbers', 'canaries', 'caller_lookups'].flatMap((t) => ['insert', 'update', 'delete'].map((op) => `fact_revision_${t}_${op}`)),
];

/**
 * Decodes once per state of the facts (new hits, plantings, channels, or a new minute) and pages
 * over the result, so reading page after page does not decode again.
 */
export class AttributionReports {
  private cached: Decoded | null = null;
  private readonly stored: StoredCalls;
  private exposure: { key: string; facts: AttributionFacts } | null = null;
  private canaries: { key: string; of: (numberId: string) => string | null } | null = null;
  /** The index's exposure part and buffers, reused by the next decode (src/attribution/facts-index.ts). */
  private indexCache: IndexCache = {};
  /** Counts down while the change detectors cannot be trusted: each report's key is then new (below -1: never a revision). */
  private untrusted = -1;

  constructor(private readonly db: Db, private readonly clock: () => Date, private readonly options: Partial<DecoderOptions> = {}) {
    this.stored = new StoredCalls(db);
  }

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
    this.exposure = null;
    this.canaries = null;
    this.indexCache = {};
    this.stored.reset();
  }

  private decoded(now: Date, extra: Partial<DecoderOptions> = {}): Decoded {
    // Read in one transaction: every fact below is of one state of the store, whatever the webhooks write meanwhile.
    return this.db.transaction(() => this.decodeNow(now, extra))();
  }

  private decodeNow(now: Date, extra: Partial<DecoderOptions>): Decoded {
    const version = this.factsVersion();
    const key = `${version.all}|${Math.floor(now.getTime() / 60_000)}|${JSON.stringify(extra)}`;
    if (this.cached?.key === key) return this.cached;
    // Exposures and the canary of each number change only with plantings, channels and canaries: kept until they do.
    const fresh = this.exposure?.key !== version.exposure;
    if (fresh) this.exposure = { key: version.exposure, facts: loadFacts(this.db, now) };
    if (this.canaries?.key !== version.canaries) this.canaries = { key: version.canaries, of: this.stored.canaryOf() };
    // The background moves with every hit: measured again unless loadFacts has just measured it.
    const facts = fresh ? this.exposure!.facts : { ...this.exposure!.facts, background: measuredBackground(this.db, now) };
    const calls = this.stored.sync(version.hits);
    const options = { ...this.options, ...extra };
    const input = {
      channels: facts.channels.map((c) => c.id),
      channelNames: Object.fromEntries(facts.channels.map((c) => [c.id, c.name])),
      exposures: facts.exposures,
      backgroundPerNumberDay: facts.background.perNumberDay,
      now: now.getTime(),
      options,
    };
    const idx = indexFacts(input.channels, input.exposures, calls.pairs, this.canaries.of, this.indexCache);
    const { result, explain, partyProbability, strongest } = decodeExplained({ ...input, calls: [], prebuilt: idx });
    const names = calls.names;
    const raw = rawContacts(idx);
    this.cached = {
      key, result, explain, idx, channels: facts.channels, background: facts.background, names,
      view: partiesView(this.db, idx, result, names, partyProbability, (id) => raw.get(id)?.callersTotal ?? 0, undefined, calls.texts, strongest),
      raw,
      classifications: calls.classifications,
      controlCalls: calls.controlCalls,
      verdicts: new Map(),
      noisy: noisyCallers(idx),
    };
    return this.cached;
  }

  /**
   * Changes whenever a fact the report reads changes, part by part: a planting confirmed or corrected
   * to an earlier time moves the plantings' revision as any other write to them does.
   */
  private factsVersion(): { all: string; exposure: string; canaries: string; hits: { revision: number; maxRowid: number } } {
    // Hits, plantings, numbers and canaries by their revisions (moved by triggers: migration
    // 20261222100000-fact-revisions) and the greatest hit rowid, not by scanning them; the small tables as they are.
    const [hitRevision, maxRowid, plantings, numbers, canaries, channels, parties, lookups, detectors] = this.db.prepare(
      `SELECT (SELECT revision FROM fact_revisions WHERE name = 'hits'),
              (SELECT coalesce(max(rowid), 0) FROM hits),
              (SELECT revision FROM fact_revisions WHERE name = 'plantings'),
              (SELECT revision FROM fact_revisions WHERE name = 'canary_numbers'),
              (SELECT revision FROM fact_revisions WHERE name = 'canaries'),
              (SELECT count(*) || ':' || coalesce(max(created_at), '') || ':' || coalesce(group_concat(coalesce(feeds, '') || coalesce(dimensions, ''), ';'), '') FROM channels),
              (SELECT count(*) || ':' || coalesce(max(updated_at), '') || ':' || total(status = 'accepted') FROM parties) || ':' || (SELECT count(*) FROM party_numbers) || ':' || (SELECT count(*) FROM hit_notes),
              (SELECT revision FROM fact_revisions WHERE name = 'caller_lookups'),
              (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (${REVISION_TRIGGERS.map((t) => `'${t}'`).join(', ')})
                 AND instr(sql, 'SET revision = revision + 1') > 0)`,
    ).raw().get() as [number, number, number, number, number, string, string, number | null, number];
    if (detectors !== REVISION_TRIGGERS.length) {
      // A trigger was dropped or rewritten (another tool, a restore of an edited file): the revisions
      // say nothing, so nothing kept is trusted — every report reads every fact again.
      const untrusted = --this.untrusted;
      return { all: `untrusted:${untrusted}`, exposure: `untrusted:${untrusted}`, canaries: `untrusted:${untrusted}`, hits: { revision: untrusted, maxRowid } };
    }
    const hits = `${hitRevision}:${maxRowid}`;
    return {
      // A look-up that answered changes only the callers' names shown, but those are laid into the party view.
      all: [hits, plantings, channels, parties, numbers, canaries, lookups].join('|'), exposure: `${plantings}|${channels}`, canaries: `${canaries}`,
      hits: { revision: hitRevision, maxRowid },
    };
  }

  private channelVerdict(d: Decoded, ch: { id: string; name: string; kind: string }, post: DecoderResult['channels'][number]): ChannelVerdict {
    const seen = d.verdicts.get(ch.id);
    if (seen) return seen;
    const raw = d.raw.get(ch.id) ?? { hits: 0, canariesCalled: 0, firstMs: null, callers: [], callersTotal: 0 };
    const caller = (n: string): Caller => ({ number: n, name: d.names.get(n) ?? null });
    const verdict: ChannelVerdict = {
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
      callers: raw.callers.map(caller),
      callersTotal: raw.callersTotal,
      party: post.party && !post.party.startsWith('withheld:') ? caller(post.party) : null,
      hitIds: post.evidenceCallIds.slice(0, HIT_IDS_SHOWN),
      parties: d.view.byChannel.get(ch.id)?.parties ?? [],
      partiesTotal: d.view.byChannel.get(ch.id)?.partiesTotal ?? 0,
      access: d.view.byChannel.get(ch.id)?.access ?? null,
      variantEvidence: d.view.byChannel.get(ch.id)?.variantEvidence ?? [],
    };
    d.verdicts.set(ch.id, verdict);
    return verdict;
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
    const counts = d.classifications;
    const noisy = d.noisy;
    return {
      unmatchedHits: counts.get('unmatched') ?? 0,
      beforePlantingHits: counts.get('before-planting') ?? 0,
      controlHits: counts.get('control') ?? 0,
      burnInHits: counts.get('burn-in') ?? 0,
      noiseCallers: noisy.first,
      noiseCallersTotal: noisy.total,
      ...controlBackground(this.db, now, d.controlCalls),
    };
  }
}

const DEFAULT_THRESHOLDS = { leaking: 0.95, suspect: 0.5, clean: 0.01 };

interface RawContacts {
  hits: number;
  canariesCalled: number;
  firstMs: number | null;
  /** The first CALLERS_SHOWN distinct callers, withheld ones aside, and how many there were. */
  callers: string[];
  callersTotal: number;
}

/** Contacts after exposure on every channel's canaries, from anyone: the figures an investigator checks first. */
function rawContacts(idx: FactsIndex): Map<string, RawContacts> {
  const x = idx.calls;
  const ev = idx.onCanary;
  const seen = new Uint8Array(x.callers.length);
  const touched: number[] = [];
  const out = new Map<string, RawContacts>();
  for (const channelId of idx.channels) {
    const raw: RawContacts = { hits: 0, canariesCalled: 0, firstMs: null, callers: [], callersTotal: 0 };
    for (const k of idx.canariesOf.get(channelId) ?? []) {
      let called = false;
      for (let e = k.start; e < k.end; e++) {
        const kept = ev.kept[e]!;
        const first = firstSlot(ev, e, k);
        if (first === kept) continue;
        called = true;
        raw.hits += kept - first + (ev.count[e]! - kept);
        const ms = ev.times[e * TIMES_PER_PAIR + first]! - k.from;
        raw.firstMs = raw.firstMs === null ? ms : Math.min(raw.firstMs, ms);
        const c = ev.caller[e]!;
        if (c >= 0 && !seen[c]) {
          seen[c] = 1;
          touched.push(c);
          if (raw.callers.length < CALLERS_SHOWN) raw.callers.push(x.callers[c]!);
        }
      }
      if (called) raw.canariesCalled++;
    }
    raw.callersTotal = touched.length;
    for (const c of touched) seen[c] = 0;
    touched.length = 0;
    out.set(channelId, raw);
  }
  return out;
}

/** Callers who rang a number no leak could have given them, withheld ones aside: how many, and the first `shown` in sort order. */
function noisyCallers(idx: FactsIndex, shown = NOISE_CALLERS_SHOWN): { first: string[]; total: number } {
  const first: string[] = [];
  let total = 0;
  const x = idx.calls;
  for (let c = 0; c < x.callers.length; c++) {
    if (idx.noiseOf[c]! === 0 || x.withheld(c)) continue;
    total++;
    const key = x.callers[c]!;
    // Kept sorted and capped: most callers fall past the last kept one with one comparison.
    if (first.length === shown && key >= first[shown - 1]!) continue;
    let at = first.length === shown ? shown - 1 : first.length;
    while (at > 0 && first[at - 1]! > key) {
      first[at] = first[at - 1]!;
      at--;
    }
    first[at] = key;
  }
  return { first, total };
}

const encodeCursor = (offset: number, list: 'ch' | 'pt' = 'ch') => Buffer.from(`${list}:${offset}`).toString('base64url');
function decodeCursor(cursor: string, total: number, list: 'ch' | 'pt' = 'ch'): number {
  const m = new RegExp(`^${list}:(\\d{1,9})$`).exec(Buffer.from(cursor, 'base64url').toString());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(n) || n > total) throw new AppError('invalid-cursor', 'cursor: not a cursor this report gave', 400);
  return n;
}
