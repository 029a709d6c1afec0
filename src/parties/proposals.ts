// The tracer's proposed groupings of caller numbers, each with its grounds. A proposal is a
// suggestion for an investigator, never evidence by itself: the decoder reads accepted parties only.
// Grounds (numbers sharing any one of them are proposed as one party):
//  - caller-name: the same name key (src/parties/normalise.ts: Arabic variants, diacritics, Latin
//    transliteration), from the hit's caller name or the Lookup's; names of MIN_NAME_KEY letters or more.
//  - sms-url / sms-email / sms-phone: the same web domain, e-mail address or call-back phone number in
//    their SMS bodies (our own canary numbers quoted back are not grounds).
//  - carrier-block: the same Lookup carrier and the same thousand-number block.
//  - co-ringing: first calls on the same canary within CO_RING_MINUTES, on CO_RING_CANARIES canaries or more.
// Two firms reading one script share wording, not a call-back number or domain: wording is no ground.
import { findPhoneNumbersInText } from 'libphonenumber-js';
import type { Db } from '../store/db.ts';
import { callerKey } from '../attribution/facts.ts';
import { WITHHELD_PREFIX } from '../attribution/model.ts';
import { nameKey, normaliseDigits } from './normalise.ts';
import type { Ground } from './repository.ts';

const MIN_NAME_KEY = 3;
const CO_RING_MINUTES = 15;
const CO_RING_CANARIES = 3;
/** Names a caller-ID service gives when it knows no name. */
const NO_NAME = new Set(['unknown', 'wireless caller', 'private', 'anonymous', 'unavailable', 'restricted', 'toll free call']);

export interface Proposal {
  numbers: string[];
  name: string;
  grounds: Ground[];
}

interface HitFact { from: string; name: string | null; body: string | null; canaryId: string | null; at: number }

export function proposeGroupings(db: Db, alreadyGrouped: Set<string>): Proposal[] {
  const hits = (db.prepare(
    `SELECT id, from_number, caller_name, body, canary_id, CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER) AS at
     FROM hits ORDER BY received_at, id`,
  ).raw().all() as Array<[string, string, string | null, string | null, string | null, number]>)
    .map(([id, from, name, body, canaryId, at]): HitFact | null => (callerKey(from, id).startsWith(WITHHELD_PREFIX) ? null : { from, name, body, canaryId, at }))
    .filter((h): h is HitFact => h !== null && !alreadyGrouped.has(h.from));
  const ours = new Set(db.prepare('SELECT phone_number FROM canary_numbers').pluck().all() as string[]);
  const keyed = new Map<string, { kind: Ground['kind']; value: string; numbers: Set<string> }>();
  const add = (kind: Ground['kind'], value: string, ...numbers: string[]) => {
    const k = `${kind}\u0000${value}`;
    const g = keyed.get(k) ?? { kind, value, numbers: new Set<string>() };
    for (const n of numbers) g.numbers.add(n);
    keyed.set(k, g);
  };
  const names = new Map<string, Map<string, number>>();
  for (const h of hits) {
    if (h.name && !NO_NAME.has(h.name.trim().toLowerCase())) {
      const key = nameKey(h.name);
      if (key.length >= MIN_NAME_KEY) add('caller-name', key, h.from);
      const counts = names.get(h.from) ?? new Map<string, number>();
      counts.set(h.name, (counts.get(h.name) ?? 0) + 1);
      names.set(h.from, counts);
    }
    if (h.body) for (const [kind, value] of bodyEntities(h.body)) if (!ours.has(value)) add(kind, value, h.from);
  }
  for (const [phone, name, carrier] of db.prepare('SELECT phone_number, caller_name, carrier_name FROM caller_lookups').raw().all() as Array<[string, string | null, string | null]>) {
    if (alreadyGrouped.has(phone) || !hits.some((h) => h.from === phone)) continue;
    if (carrier && /^\+\d{7,}$/.test(phone)) add('carrier-block', `${carrier.trim().toLowerCase()} ${phone.slice(0, -3)}xxx`, phone);
    if (name && !NO_NAME.has(name.trim().toLowerCase()) && nameKey(name).length >= MIN_NAME_KEY) add('caller-name', nameKey(name), phone);
  }
  coRinging(hits, add);
  // A phone number quoted in an SMS that is itself a caller: that caller shares the ground.
  const callers = new Set(hits.map((h) => h.from));
  for (const g of keyed.values()) if (g.kind === 'sms-phone' && callers.has(g.value)) g.numbers.add(g.value);

  const uf = new Map<string, string>();
  const find = (x: string): string => (uf.get(x) === undefined || uf.get(x) === x ? (uf.set(x, x), x) : (uf.set(x, find(uf.get(x)!)), uf.get(x)!));
  const grounds = [...keyed.values()].filter((g) => g.numbers.size >= 2);
  for (const g of grounds) {
    const [first, ...rest] = [...g.numbers];
    for (const n of rest) uf.set(find(n), find(first!));
  }
  const groups = new Map<string, string[]>();
  for (const n of uf.keys()) groups.set(find(n), [...(groups.get(find(n)) ?? []), n]);
  return [...groups.values()].filter((g) => g.length >= 2).map((numbers) => {
    numbers.sort();
    const inGroup = new Set(numbers);
    return {
      numbers,
      name: commonestName(numbers, names) ?? numbers[0]!,
      grounds: grounds.filter((g) => [...g.numbers].some((n) => inGroup.has(n))).map((g) => ({ kind: g.kind, value: g.value, numbers: [...g.numbers].sort() })),
    };
  });
}

/** Web domains, e-mail addresses and phone numbers in an SMS body, normalised. */
export function bodyEntities(body: string): Array<[Ground['kind'], string]> {
  const text = normaliseDigits(body.normalize('NFKC'));
  const out: Array<[Ground['kind'], string]> = [];
  for (const m of text.matchAll(/[\w.+-]+@([\w-]+\.)+[a-z]{2,}/gi)) out.push(['sms-email', m[0].toLowerCase()]);
  const noMail = text.replace(/[\w.+-]+@([\w-]+\.)+[a-z]{2,}/gi, ' ');
  for (const m of noMail.matchAll(/\b(?:https?:\/\/)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[/?#]\S*)?/gi)) out.push(['sms-url', m[1]!.toLowerCase()]);
  for (const p of findPhoneNumbersInText(text, 'SA')) out.push(['sms-phone', p.number.number]);
  return out;
}

function coRinging(hits: HitFact[], add: (kind: Ground['kind'], value: string, ...n: string[]) => void): void {
  const firstOn = new Map<string, Map<string, number>>();
  for (const h of hits) {
    if (!h.canaryId) continue;
    const m = firstOn.get(h.canaryId) ?? new Map<string, number>();
    if (!m.has(h.from)) m.set(h.from, h.at);
    firstOn.set(h.canaryId, m);
  }
  const shared = new Map<string, number>();
  for (const m of firstOn.values()) {
    const list = [...m].sort((a, b) => a[1] - b[1]);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length && list[j]![1] - list[i]![1] <= CO_RING_MINUTES * 60_000; j++) {
        const pair = [list[i]![0], list[j]![0]].sort().join(' ');
        shared.set(pair, (shared.get(pair) ?? 0) + 1);
      }
    }
  }
  for (const [pair, n] of shared) if (n >= CO_RING_CANARIES) add('co-ringing', `${n} canaries within ${CO_RING_MINUTES} min`, ...pair.split(' '));
}

function commonestName(numbers: string[], names: Map<string, Map<string, number>>): string | undefined {
  const all = new Map<string, number>();
  for (const n of numbers) for (const [name, c] of names.get(n) ?? []) all.set(name, (all.get(name) ?? 0) + c);
  return [...all].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
