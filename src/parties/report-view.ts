// The report's party fields (GET /api/v1/report): per channel, the parties that rang its canaries
// after exposure with their access pattern; at the top, every accepted party and every channel's
// decoded party, with the channels it is implicated in. Reads the decode the report already made.
import type { Db } from '../store/db.ts';
import { TIMES_PER_PAIR, type FactsIndex } from '../attribution/facts-index.ts';
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

export function partiesView(db: Db, idx: FactsIndex, result: DecoderResult, names: Map<string, string>, zoneOf: (channelId: string) => string = () => 'UTC', hitTexts?: Parameters<typeof variantLinks>[1]): PartiesView {
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
  const called = new Int32Array(x.callers.length);
  const fastest = new Float64Array(x.callers.length);
  const chosen = new Uint8Array(x.callers.length);
  const topLevel = new Uint8Array(x.callers.length);
  for (const key of keys) {
    const c = x.callerIndex(key);
    if (c !== undefined) topLevel[c] = 1;
  }
  const ev = idx.onCanary;
  /** The entry's first kept call at or after `from`, -1 when none. */
  const firstAt = (e: number, from: number) => {
    for (let i = 0; i < ev.kept[e]!; i++) if (ev.times[e * TIMES_PER_PAIR + i]! >= from) return ev.times[e * TIMES_PER_PAIR + i]!;
    return -1;
  };
  const touched: number[] = [];
  for (const channelId of idx.channels) {
    const canaries = idx.canariesOf.get(channelId) ?? [];
    touched.length = 0;
    for (const k of canaries) {
      for (let e = k.start; e < k.end; e++) {
        const c = ev.caller[e]!;
        if (c < 0) continue;
        const at = firstAt(e, k.from);
        if (at < 0) continue;
        const ms = at - k.from;
        if (called[c] === 0) {
          touched.push(c);
          fastest[c] = ms;
        } else if (ms < fastest[c]!) fastest[c] = ms;
        called[c]!++;
      }
    }
    const post = posterior.get(channelId);
    // Shown: the decoded party first, then most canaries called, then the first seen (the order hits
    // were stored in: the same however often the report has been rebuilt); described: those, and any top-level party.
    const decoded = post?.party ? x.callerIndex(post.party) ?? -1 : -1;
    const before = (a: number, b: number) => Number(b === decoded) - Number(a === decoded) || called[b]! - called[a]! || a - b;
    const shown: number[] = [];
    for (const c of touched) {
      if (shown.length === PARTIES_PER_CHANNEL && before(c, shown[shown.length - 1]!) >= 0) continue;
      let i = Math.min(shown.length, PARTIES_PER_CHANNEL - 1);
      shown[i] = c;
      while (i > 0 && before(shown[i]!, shown[i - 1]!) < 0) {
        [shown[i], shown[i - 1]] = [shown[i - 1]!, shown[i]!];
        i--;
      }
    }
    for (const c of shown) chosen[c] = 1;
    for (const c of touched) if (topLevel[c] === 1) chosen[c] = 1;
    const contacts = new Map<number, Contact[]>();
    for (const k of canaries) {
      for (let e = k.start; e < k.end; e++) {
        const c = ev.caller[e]!;
        if (c < 0 || chosen[c] === 0) continue;
        const at = firstAt(e, k.from);
        if (at < 0) continue;
        const list = contacts.get(c) ?? [];
        list.push({ exposedAt: k.from, firstAt: at });
        contacts.set(c, list);
      }
    }
    const zone = zoneOf(channelId);
    const described = new Map<number, ChannelParty>();
    for (const [c, list] of contacts) {
      const key = x.callers[c]!;
      described.set(c, { partyId: key, name: nameOf(key), canariesCalled: called[c]!, firstContactMinutes: Math.round(fastest[c]! / 6_000) / 10, access: accessPattern(list, zone) });
    }
    const parties = shown.map((c) => described.get(c)!);
    const main = parties.find((p) => p.partyId === post?.party) ?? null;
    byChannel.set(channelId, { parties, access: main?.access ?? null, variantEvidence: (links.get(channelId) ?? []).slice(0, VARIANT_LINKS_SHOWN) });
    for (const c of touched) {
      const party = topLevel[c] === 1 ? described.get(c) : undefined;
      if (party) {
        implicated.set(party.partyId, [...(implicated.get(party.partyId) ?? []), {
          channelId, probability: party.partyId === post?.party ? post.probability : null, access: party.access.class, firstContactMinutes: party.firstContactMinutes,
        }]);
      }
    }
    for (const c of touched) called[c] = chosen[c] = 0;
  }
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
