// The report's party fields (GET /api/v1/report): per channel, the parties that rang its canaries
// after exposure with their probability and access pattern; at the top, every accepted party and every
// channel's decoded party, with the channels it is implicated in. Reads the decode the report already
// made. Lists are capped with their totals beside them (the answer at 100k hits was 3.5 MB when every
// channel carried five parties' full access figures): a channel shows its PARTIES_PER_CHANNEL likeliest
// parties with their access class (the full figures and words are the channel's `access`, for its
// decoded party); the top level pages parties (`partiesCursor`), each with its likeliest
// CHANNELS_PER_PARTY channels — GET /api/v1/parties/:id has all of a party's channels.
import type { Db } from '../store/db.ts';
import type { FactsIndex } from '../attribution/facts-index.ts';
import { firstCallAfter } from '../attribution/facts-index.ts';
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
  /** Every caller key (party id or number) → the channels it rang after exposure, likeliest first. */
  channelsOf: Map<string, ReportParty['channels']>;
}

type PartyProbability = (channelId: string, party: string) => number;

export function partiesView(db: Db, idx: FactsIndex, result: DecoderResult, names: Map<string, string>, probabilityOf: PartyProbability,
  zoneOf: (channelId: string) => string = () => 'UTC'): PartiesView {
  const accepted = acceptedPartyOf(db);
  const partyRows = new Map((db.prepare(`SELECT id, name FROM parties WHERE status = 'accepted'`).raw().all() as Array<[string, string]>));
  const numbersOf = new Map<string, string[]>();
  for (const [n, p] of accepted) numbersOf.set(p, [...(numbersOf.get(p) ?? []), n].sort());
  const nameOf = (key: string) => partyRows.get(key) ?? names.get(key) ?? null;
  const posterior = new Map(result.channels.map((c) => [c.channelId, c]));

  const byChannel: PartiesView['byChannel'] = new Map();
  const links = new Map<string, VariantLink[]>();
  for (const l of variantLinks(db)) links.set(l.channelId, [...(links.get(l.channelId) ?? []), l]);
  const implicated = new Map<string, ReportParty['channels']>();
  for (const channelId of idx.channels) {
    const contacts = new Map<string, Contact[]>();
    for (const k of idx.canariesOf.get(channelId) ?? []) {
      for (const pair of idx.callsOn.get(k.canaryId) ?? []) {
        if (pair.caller.startsWith(WITHHELD_PREFIX)) continue;
        const first = firstCallAfter(pair, k.from);
        if (first) contacts.set(pair.caller, [...(contacts.get(pair.caller) ?? []), { exposedAt: k.from, firstAt: first.at }]);
      }
    }
    const post = posterior.get(channelId);
    const zone = zoneOf(channelId);
    const parties = [...contacts].map(([key, list]) => ({
      partyId: key, name: nameOf(key), probability: round4(probabilityOf(channelId, key)), canariesCalled: list.length,
      firstContactMinutes: Math.round(Math.min(...list.map((c) => c.firstAt - c.exposedAt)) / 6_000) / 10,
      pattern: accessPattern(list, zone),
    })).sort((a, b) => Number(b.partyId === post?.party) - Number(a.partyId === post?.party) || b.probability - a.probability
      || b.canariesCalled - a.canariesCalled || a.partyId.localeCompare(b.partyId));
    const main = parties.find((p) => p.partyId === post?.party) ?? null;
    byChannel.set(channelId, {
      parties: parties.slice(0, PARTIES_PER_CHANNEL).map(({ pattern, ...p }) => ({ ...p, access: { class: pattern.class, contacts: pattern.contacts } })),
      partiesTotal: parties.length, access: main?.pattern ?? null, variantEvidence: (links.get(channelId) ?? []).slice(0, VARIANT_LINKS_SHOWN),
    });
    for (const p of parties) {
      implicated.set(p.partyId, [...(implicated.get(p.partyId) ?? []), {
        channelId, probability: p.probability, access: p.pattern.class, firstContactMinutes: p.firstContactMinutes,
      }]);
    }
  }
  const keys = new Set<string>(numbersOf.keys());
  for (const c of result.channels) if (c.party && !c.party.startsWith(WITHHELD_PREFIX)) keys.add(c.party);
  for (const list of implicated.values()) list.sort((a, b) => b.probability - a.probability || a.channelId.localeCompare(b.channelId));
  const top = (key: string) => Math.max(0, ...(implicated.get(key) ?? []).map((c) => c.probability));
  const parties = [...keys].map((key) => ({ key, top: top(key) })).sort((a, b) => b.top - a.top || a.key.localeCompare(b.key)).map(({ key }): ReportParty => {
    const numbers = numbersOf.get(key) ?? [key];
    const channels = implicated.get(key) ?? [];
    return { partyId: key, name: nameOf(key), numbers, channels, channelsTotal: channels.length, calls: 0, sms: 0, firstContact: null, lastContact: null };
  });
  return { byChannel, parties, channelsOf: implicated };
}

/** A page of the view's parties as the report shows them: channels capped, contact figures read for the page only. */
export function partiesPage(db: Db, view: PartiesView, offset: number): ReportParty[] {
  return view.parties.slice(offset, offset + PARTIES_SHOWN).map((p) => ({ ...p, channels: p.channels.slice(0, CHANNELS_PER_PARTY), ...figuresOf(db, view, p) }));
}

/** These callers (party ids or numbers), each with all its channels, whether or not the top-level list names it: a party's page. */
export function partiesByKey(db: Db, view: PartiesView, keys: string[]): ReportParty[] {
  return keys.filter((k) => view.channelsOf.has(k) || view.parties.some((p) => p.partyId === k)).map((key) => {
    const p = view.parties.find((x) => x.partyId === key) ?? { partyId: key, name: null, numbers: [key], channels: [], channelsTotal: 0, calls: 0, sms: 0, firstContact: null, lastContact: null };
    const channels = view.channelsOf.get(key) ?? [];
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
