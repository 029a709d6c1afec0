// The report's party fields (GET /api/v1/report): per channel, the parties that rang its canaries
// after exposure with their probability and access pattern; at the top, every accepted party and every
// channel's decoded party, with the channels it is implicated in. Reads the decode the report already
// made. Lists are capped with their totals beside them (the answer at 100k hits was 3.5 MB when every
// channel carried five parties' full access figures): a channel shows its PARTIES_PER_CHANNEL likeliest
// parties with their access class (the full figures and words are the channel's `access`, for its
// decoded party); the top level pages parties (`partiesCursor`), each with its likeliest
// CHANNELS_PER_PARTY channels — GET /api/v1/parties/:id has all of a party's channels.
import type { Db } from '../store/db.ts';
import { firstSlot, TIMES_PER_PAIR, type FactsIndex } from '../attribution/facts-index.ts';
import { WITHHELD_PREFIX, type DecoderResult } from '../attribution/model.ts';
import { accessPattern, type AccessPattern, type Contact } from './access.ts';
import { acceptedPartyOf } from './repository.ts';
import { variantLinks, type VariantLink } from './variant-evidence.ts';

const PARTIES_PER_CHANNEL = 3;
export const PARTIES_SHOWN = 100;
export const CHANNELS_PER_PARTY = 10;
const VARIANT_LINKS_SHOWN = 50;

export interface ChannelParty {
  partyId: string;
  name: string | null;
  /** P(this channel leaks and this party is its leak party): src/attribution/party-probability.ts. */
  probability: number;
  canariesCalled: number;
  firstContactMinutes: number | null;
  /** The class and how many first contacts it rests on; the figures and words are the channel's `access` (its decoded party). */
  access: Pick<AccessPattern, 'class' | 'contacts'>;
}

export interface ReportParty {
  partyId: string;
  name: string | null;
  numbers: string[];
  /** Likeliest first, capped at CHANNELS_PER_PARTY; `probability` as in ChannelParty. */
  channels: Array<{ channelId: string; probability: number; access: AccessPattern['class']; firstContactMinutes: number | null }>;
  channelsTotal: number;
  calls: number;
  sms: number;
  firstContact: string | null;
  lastContact: string | null;
}

export interface PartiesView {
  byChannel: Map<string, { parties: ChannelParty[]; partiesTotal: number; access: AccessPattern | null; variantEvidence: VariantLink[] }>;
  /** Every party, likeliest first, each with all its channels (the report caps and pages them). */
  parties: ReportParty[];
  /** A caller key (party id or number) → the channels it rang after exposure, likeliest first; undefined when none. */
  channelsOf(key: string): ReportParty['channels'] | undefined;
}

type PartyProbability = (channelId: string, party: string) => number;

/** Per-caller arrays, reused from view to view (zeroed on the way in): a million callers is 17 MB a report. */
let pooled: { called: Int32Array; fastest: Float64Array; chosen: Uint8Array; topLevel: Uint8Array; interest: Uint8Array } | null = null;
function scratchFor(n: number) {
  if (!pooled || pooled.called.length < n) {
    const m = Math.ceil(n * 1.25) + 16;
    pooled = { called: new Int32Array(m), fastest: new Float64Array(m), chosen: new Uint8Array(m), topLevel: new Uint8Array(m), interest: new Uint8Array(m) };
  }
  const v = { called: pooled.called.subarray(0, n), fastest: pooled.fastest.subarray(0, n), chosen: pooled.chosen.subarray(0, n), topLevel: pooled.topLevel.subarray(0, n), interest: pooled.interest.subarray(0, n) };
  v.called.fill(0);
  v.chosen.fill(0);
  v.topLevel.fill(0);
  v.interest.fill(0);
  return v;
}

/**
 * `probabilityOf` and `strongest` come from the decode (src/attribution/decoder.ts, decodeExplained):
 * a party's probability under a channel, and the channel's strongest callers — no caller outside them
 * can be likelier, so only they (and the decoded party) are ranked for a channel's list.
 */
export function partiesView(db: Db, idx: FactsIndex, result: DecoderResult, names: Pick<Map<string, string>, 'get'>, probabilityOf: PartyProbability,
  /** Distinct callers on the channel's canaries after exposure (the report's raw contacts count them). */
  callersTotal: (channelId: string) => number,
  zoneOf: (channelId: string) => string = () => 'UTC', hitTexts?: Parameters<typeof variantLinks>[1], strongest: (channelId: string) => string[] = () => []): PartiesView {
  const accepted = acceptedPartyOf(db);
  const partyRows = new Map((db.prepare(`SELECT id, name FROM parties WHERE status = 'accepted'`).raw().all() as Array<[string, string]>));
  const numbersOf = new Map<string, string[]>();
  for (const [n, p] of accepted) numbersOf.set(p, [...(numbersOf.get(p) ?? []), n].sort());
  const nameOf = (key: string) => partyRows.get(key) ?? names.get(key) ?? null;
  const posterior = new Map(result.channels.map((c) => [c.channelId, c]));

  // The parties reported at the top: every accepted party and every channel's decoded party.
  const keys = new Set<string>(numbersOf.keys());
  for (const c of result.channels) if (c.party && !c.party.startsWith(WITHHELD_PREFIX)) keys.add(c.party);

  const byChannel: PartiesView['byChannel'] = new Map();
  const links = new Map<string, VariantLink[]>();
  for (const l of variantLinks(db, hitTexts)) links.set(l.channelId, [...(links.get(l.channelId) ?? []), l]);
  const implicated = new Map<string, ReportParty['channels']>();
  const x = idx.calls;
  // Per caller, on the channel at hand: canaries called after exposure and the earliest latency.
  const { called, fastest, chosen, topLevel, interest } = scratchFor(x.callers.length);
  for (const key of keys) {
    const c = x.callerIndex(key);
    if (c !== undefined) topLevel[c] = 1;
  }
  const ev = idx.onCanary;
  /** The entry's first kept call at or after the exposure `k`, -1 when none (laid out for a canary of one channel). */
  const firstAt = (e: number, k: { from: number; channels: number }) => {
    const slot = firstSlot(ev, e, k);
    return slot < ev.kept[e]! ? ev.times[e * TIMES_PER_PAIR + slot]! : -1;
  };
  // Per channel, one pass over its canaries' entries, reading only the callers it may show: its
  // decoder's strongest, its decoded party, and the top-level parties. How many callers it had in all
  // (`partiesTotal`) is the raw contacts' distinct-caller count, given by the report.
  const touched: number[] = [];
  for (const channelId of idx.channels) {
    const canaries = idx.canariesOf.get(channelId) ?? [];
    touched.length = 0;
    const post = posterior.get(channelId);
    const mine: number[] = [];
    for (const key of [...strongest(channelId), ...(post?.party ? [post.party] : [])]) {
      const c = x.callerIndex(key);
      if (c !== undefined && interest[c] === 0) {
        interest[c] = 1;
        mine.push(c);
      }
    }
    const contacts = new Map<number, Contact[]>();
    for (const k of canaries) {
      for (let e = k.start; e < k.end; e++) {
        const c = ev.caller[e]!;
        if (c < 0 || (interest[c] === 0 && topLevel[c] === 0)) continue;
        const at = firstAt(e, k);
        if (at < 0) continue;
        const ms = at - k.from;
        if (called[c] === 0) {
          touched.push(c);
          fastest[c] = ms;
        } else if (ms < fastest[c]!) fastest[c] = ms;
        called[c]!++;
        const list = contacts.get(c);
        if (list) list.push({ exposedAt: k.from, firstAt: at });
        else contacts.set(c, [{ exposedAt: k.from, firstAt: at }]);
      }
    }
    for (const c of mine) interest[c] = 0;
    // Shown: the decoded party first, then the likeliest, then most canaries called, then the first seen
    // (the order hits were stored in: the same however often the report is rebuilt). Described: those and
    // any top-level party.
    const decoded = post?.party ? x.callerIndex(post.party) ?? -1 : -1;
    const probability = new Map<number, number>();
    for (const key of [...strongest(channelId), ...(post?.party ? [post.party] : [])]) {
      const c = x.callerIndex(key);
      if (c !== undefined && called[c]! > 0) probability.set(c, round4(probabilityOf(channelId, key)));
    }
    const shown = [...probability.keys()].sort((a, b) => Number(b === decoded) - Number(a === decoded) || probability.get(b)! - probability.get(a)! || called[b]! - called[a]! || a - b).slice(0, PARTIES_PER_CHANNEL);
    for (const c of shown) chosen[c] = 1;
    for (const c of touched) if (topLevel[c] === 1) chosen[c] = 1;
    for (const c of [...contacts.keys()]) if (chosen[c] === 0) contacts.delete(c);
    const zone = zoneOf(channelId);
    const described = new Map<number, ChannelParty & { pattern: AccessPattern }>();
    for (const [c, list] of contacts) {
      const key = x.callers[c]!;
      const pattern = accessPattern(list, zone);
      described.set(c, {
        partyId: key, name: nameOf(key), probability: probability.get(c) ?? round4(probabilityOf(channelId, key)), canariesCalled: called[c]!,
        firstContactMinutes: Math.round(fastest[c]! / 6_000) / 10, access: { class: pattern.class, contacts: pattern.contacts }, pattern,
      });
    }
    const parties = shown.map((c) => described.get(c)!);
    const main = parties.find((p) => p.partyId === post?.party) ?? null;
    byChannel.set(channelId, {
      parties: parties.map(({ pattern: _, ...p }) => p), partiesTotal: callersTotal(channelId),
      access: main?.pattern ?? null, variantEvidence: (links.get(channelId) ?? []).slice(0, VARIANT_LINKS_SHOWN),
    });
    for (const c of touched) {
      const party = topLevel[c] === 1 ? described.get(c) : undefined;
      if (party) {
        implicated.set(party.partyId, [...(implicated.get(party.partyId) ?? []), {
          channelId, probability: party.probability, access: party.pattern.class, firstContactMinutes: party.firstContactMinutes,
        }]);
      }
    }
    for (const c of touched) called[c] = chosen[c] = 0;
  }
  for (const list of implicated.values()) list.sort((a, b) => b.probability - a.probability || (a.channelId < b.channelId ? -1 : 1));
  const top = (key: string) => Math.max(0, ...(implicated.get(key) ?? []).map((c) => c.probability));
  const parties = [...keys].map((key) => ({ key, top: top(key) })).sort((a, b) => b.top - a.top || (a.key < b.key ? -1 : 1)).map(({ key }): ReportParty => {
    const numbers = numbersOf.get(key) ?? [key];
    const channels = implicated.get(key) ?? [];
    return { partyId: key, name: nameOf(key), numbers, channels, channelsTotal: channels.length, calls: 0, sms: 0, firstContact: null, lastContact: null };
  });
  // Any other caller's channels are found when asked for (a party's page): one pass over the laid-out pairs.
  const channelsOf = (key: string): ReportParty['channels'] | undefined => {
    if (implicated.has(key)) return implicated.get(key);
    const c = x.callerIndex(key);
    if (c === undefined) return undefined;
    const out: ReportParty['channels'] = [];
    for (const channelId of idx.channels) {
      const list: Contact[] = [];
      for (const k of idx.canariesOf.get(channelId) ?? []) {
        for (let e = k.start; e < k.end; e++) {
          if (ev.caller[e] !== c) continue;
          const at = firstAt(e, k);
          if (at >= 0) list.push({ exposedAt: k.from, firstAt: at });
        }
      }
      if (list.length === 0) continue;
      out.push({
        channelId, probability: round4(probabilityOf(channelId, key)), access: accessPattern(list, zoneOf(channelId)).class,
        firstContactMinutes: Math.round(Math.min(...list.map((l) => l.firstAt - l.exposedAt)) / 6_000) / 10,
      });
    }
    out.sort((a, b) => b.probability - a.probability || (a.channelId < b.channelId ? -1 : 1));
    return out.length ? out : undefined;
  };
  return { byChannel, parties, channelsOf };
}

/** A page of the view's parties as the report shows them: channels capped, contact figures read for the page only. */
export function partiesPage(db: Db, view: PartiesView, offset: number): ReportParty[] {
  return view.parties.slice(offset, offset + PARTIES_SHOWN).map((p) => ({ ...p, channels: p.channels.slice(0, CHANNELS_PER_PARTY), ...figuresOf(db, view, p) }));
}

/** These callers (party ids or numbers), each with all its channels, whether or not the top-level list names it: a party's page. */
export function partiesByKey(db: Db, view: PartiesView, keys: string[]): ReportParty[] {
  return keys.filter((k) => view.channelsOf(k) !== undefined || view.parties.some((p) => p.partyId === k)).map((key) => {
    const p = view.parties.find((x) => x.partyId === key) ?? { partyId: key, name: null, numbers: [key], channels: [], channelsTotal: 0, calls: 0, sms: 0, firstContact: null, lastContact: null };
    const channels = view.channelsOf(key) ?? [];
    return { ...p, channels, channelsTotal: channels.length, ...figuresOf(db, view, p) };
  });
}

// Contact figures are read once per decode and party, when a page first shows the party.
const figures = new WeakMap<PartiesView, Map<string, ReturnType<typeof contactFigures>>>();
function figuresOf(db: Db, view: PartiesView, p: ReportParty) {
  const known = figures.get(view) ?? new Map();
  figures.set(view, known);
  if (!known.has(p.partyId)) known.set(p.partyId, contactFigures(db, p.numbers));
  return known.get(p.partyId)!;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Calls, SMS, first and last contact of these numbers, over every hit. */
export function contactFigures(db: Db, numbers: string[]): Pick<ReportParty, 'calls' | 'sms' | 'firstContact' | 'lastContact'> {
  const row = db.prepare(
    `SELECT coalesce(sum(kind = 'call'), 0) AS calls, coalesce(sum(kind = 'sms'), 0) AS sms, min(received_at) AS firstContact, max(received_at) AS lastContact
     FROM hits WHERE from_number IN (SELECT value FROM json_each(?))`,
  ).get(JSON.stringify(numbers)) as Pick<ReportParty, 'calls' | 'sms' | 'firstContact' | 'lastContact'>;
  return row;
}

/** A channel's reasons with its variant evidence first (it names the copy that leaked) and its party's access pattern last. */
export function withPartyWords(v: PartiesView['byChannel'] extends Map<string, infer T> ? T | undefined : never, reasons: string[]): string[] {
  if (!v) return reasons;
  const seen = new Set<string>();
  const variant = v.variantEvidence.map((l) => `Strongest evidence: ${l.words} (hit ${l.hitId}).`).filter((w) => !seen.has(w) && seen.add(w));
  return [...variant, ...reasons, ...(v.access && v.access.class !== 'unknown' ? [`Access: ${v.access.words}.`] : [])];
}

