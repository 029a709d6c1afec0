// The report's party fields (GET /api/v1/report): per channel, the parties that rang its canaries
// after exposure with their access pattern; at the top, every accepted party and every channel's
// decoded party, with the channels it is implicated in. Reads the decode the report already made.
import type { Db } from '../store/db.ts';
import type { FactsIndex } from '../attribution/facts-index.ts';
import { firstCallAfter } from '../attribution/facts-index.ts';
import { WITHHELD_PREFIX, type DecoderResult } from '../attribution/model.ts';
import { accessPattern, type AccessPattern, type Contact } from './access.ts';
import { acceptedPartyOf } from './repository.ts';
import { variantLinks, type VariantLink } from './variant-evidence.ts';

const PARTIES_PER_CHANNEL = 5;
const PARTIES_SHOWN = 100;
const VARIANT_LINKS_SHOWN = 50;

export interface ChannelParty {
  partyId: string;
  name: string | null;
  canariesCalled: number;
  firstContactMinutes: number | null;
  access: AccessPattern;
}

export interface ReportParty {
  partyId: string;
  name: string | null;
  numbers: string[];
  /** `probability`: the channel's leak probability where this party is its decoded leak party, else null (it rang too, as a second recipient or by chance). */
  channels: Array<{ channelId: string; probability: number | null; access: AccessPattern['class']; firstContactMinutes: number | null }>;
  calls: number;
  sms: number;
  firstContact: string | null;
  lastContact: string | null;
}

export interface PartiesView {
  byChannel: Map<string, { parties: ChannelParty[]; access: AccessPattern | null; variantEvidence: VariantLink[] }>;
  parties: ReportParty[];
}

export function partiesView(db: Db, idx: FactsIndex, result: DecoderResult, names: Map<string, string>, zoneOf: (channelId: string) => string = () => 'UTC'): PartiesView {
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
    const parties = [...contacts].map(([key, list]): ChannelParty => ({
      partyId: key, name: nameOf(key), canariesCalled: list.length,
      firstContactMinutes: Math.round(Math.min(...list.map((c) => c.firstAt - c.exposedAt)) / 6_000) / 10,
      access: accessPattern(list, zone),
    })).sort((a, b) => Number(b.partyId === post?.party) - Number(a.partyId === post?.party) || b.canariesCalled - a.canariesCalled || a.partyId.localeCompare(b.partyId));
    const main = parties.find((p) => p.partyId === post?.party) ?? null;
    byChannel.set(channelId, { parties: parties.slice(0, PARTIES_PER_CHANNEL), access: main?.access ?? null, variantEvidence: (links.get(channelId) ?? []).slice(0, VARIANT_LINKS_SHOWN) });
    for (const p of parties) {
      implicated.set(p.partyId, [...(implicated.get(p.partyId) ?? []), {
        channelId, probability: p.partyId === post?.party ? post.probability : null, access: p.access.class, firstContactMinutes: p.firstContactMinutes,
      }]);
    }
  }
  const keys = new Set<string>(numbersOf.keys());
  for (const c of result.channels) if (c.party && !c.party.startsWith(WITHHELD_PREFIX)) keys.add(c.party);
  const parties = [...keys].slice(0, PARTIES_SHOWN).map((key): ReportParty => {
    const numbers = numbersOf.get(key) ?? [key];
    return { partyId: key, name: nameOf(key), numbers, channels: implicated.get(key) ?? [], ...contactFigures(db, numbers) };
  });
  return { byChannel, parties };
}

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
