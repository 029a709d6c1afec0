import type { Db } from '../store/db.ts';
import type { ChannelVerdict } from '../attribution/report.ts';
import type { AccessClass, AccessPattern } from '../parties/access.ts';
import { contactFigures } from '../parties/report-view.ts';
import { partiesByIds, partyIdOfNumber, partyNotes } from '../parties/export.ts';
import type { Ground, PartyStatus } from '../parties/repository.ts';
import type { CaseScope } from './scope.ts';

// The outside parties a case is about: the parties linked to it, and those implicated on its
// channels (each channel's decoded leak party, and any investigator-accepted party that rang its
// canaries after exposure). Figures are the attribution report's (per channel: probability, access
// pattern) and the hits' (calls, SMS, first contact); canaries are counted, never listed.

const PARTIES_SHOWN = 50;

export interface CasePartyChannel {
  channelId: string;
  name: string;
  verdict: ChannelVerdict['verdict'];
  /** The channel's leak probability. */
  probability: number;
  /** True when this party is the channel's decoded leak party (else it rang too). */
  decoded: boolean;
  canariesCalled: number;
  firstContactMinutes: number | null;
  /** The class and the contacts it rests on (the report's per-channel party list carries no more). */
  access: Pick<AccessPattern, 'class' | 'contacts'>;
  /** The full figures, where this party is the channel's decoded party (the channel's own `access`). */
  pattern: AccessPattern | null;
}

export interface CaseParty {
  /** The party's id, or the caller number the decoder reads as one caller when no party holds it. */
  key: string;
  partyId: string | null;
  name: string | null;
  status: PartyStatus | null;
  /** Linked to the case by an investigator (else implicated on one of its channels). */
  linked: boolean;
  numbers: string[];
  grounds: Ground[];
  notes: Array<{ at: string; actor: string; text: string }>;
  calls: number;
  sms: number;
  firstContact: string | null;
  lastContact: string | null;
  /** Canaries any of its numbers rang, and how many of them are the case's. */
  canariesReached: number;
  caseCanariesReached: number;
  /** How it reaches the tickets, in full: on the channel it is most surely the leak party of (elsewhere only the class is known: `channels`). */
  access: AccessPattern | null;
  channels: CasePartyChannel[];
}

type Row = ReturnType<typeof partiesByIds>[number];

export function caseParties(db: Db, scope: CaseScope, caseId: string, linkedIds: string[], caseChannels: ChannelVerdict[], allChannels: ChannelVerdict[]): CaseParty[] {
  const linked = new Set(linkedIds);
  return [...resolveParties(db, linkedIds, caseChannels).values()].map(({ key, row }): CaseParty => {
    const numbers = row ? row.numbers : [key];
    // The decoder's keys for it: the party id once accepted, each number before.
    const decoderKeys = new Set([key, ...(row ? [row.id, ...row.numbers] : [])]);
    const channels = implicatedOn(allChannels, decoderKeys);
    const reach = scope.reachOf(caseId, numbers);
    const nameFromReport = allChannels.flatMap((c) => c.parties ?? []).find((p) => decoderKeys.has(p.partyId))?.name ?? null;
    return {
      key, partyId: row?.id ?? null, name: row?.name ?? nameFromReport, status: row?.status ?? null, linked: !!row && linked.has(row.id),
      numbers, grounds: row?.grounds ?? [], notes: row ? partyNotes(db, row.id) : [], ...contactFigures(db, numbers),
      canariesReached: reach.any, caseCanariesReached: reach.inCase, access: channels.find((c) => c.pattern)?.pattern ?? null, channels,
    };
  });
}

/** The case's parties in order (linked first), one entry per party: a proposed party's number the decoder names and the party linked by id are one. */
function resolveParties(db: Db, linkedIds: string[], caseChannels: ChannelVerdict[]): Map<string, { key: string; row: Row | null }> {
  const keys = partiesByIds(db, linkedIds).map((p) => p.id);
  const accepted = new Set(partiesByIds(db, caseChannels.flatMap((c) => (c.parties ?? []).map((p) => p.partyId))).filter((p) => p.status === 'accepted').map((p) => p.id));
  for (const c of caseChannels) {
    if (c.party) keys.push(c.party.number);
    for (const p of c.parties ?? []) if (accepted.has(p.partyId)) keys.push(p.partyId);
  }
  const resolved = new Map<string, { key: string; row: Row | null }>();
  for (const key of keys) {
    const row = partiesByIds(db, [key])[0] ?? partiesByIds(db, [partyIdOfNumber(db, key) ?? ''])[0] ?? null;
    const id = row?.id ?? key;
    if (!resolved.has(id) && (resolved.size < PARTIES_SHOWN || linkedIds.includes(id))) resolved.set(id, { key, row }); // every linked one
  }
  return resolved;
}

/** Every channel whose report names one of these decoder keys among its parties, its leak party's first. */
function implicatedOn(allChannels: ChannelVerdict[], decoderKeys: Set<string>): CasePartyChannel[] {
  return allChannels.flatMap((c): CasePartyChannel[] => {
    const p = (c.parties ?? []).find((x) => decoderKeys.has(x.partyId));
    if (!p) return [];
    return [{ channelId: c.channelId, name: c.name, verdict: c.verdict, probability: c.probability, decoded: !!c.party && decoderKeys.has(c.party.number),
      canariesCalled: p.canariesCalled, firstContactMinutes: p.firstContactMinutes, access: p.access,
      pattern: !!c.party && decoderKeys.has(c.party.number) ? c.access ?? null : null }];
  }).sort((a, b) => Number(b.decoded) - Number(a.decoded) || b.probability - a.probability || b.canariesCalled - a.canariesCalled);
}

export type { AccessClass };
