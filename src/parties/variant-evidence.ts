// Canary-trap evidence: each planting of a canary carries its own variant (name spelling, wording,
// reference: src/identities/variants.ts). When what the caller wrote or said — an SMS body, a voicemail
// transcription (TranscriptionText, when transcription is on), or an investigator's note of the call
// (hit_notes) — quotes an element only one planting of that canary carries, the hit names that
// planting's channel directly. Matching is tolerant (src/parties/normalise.ts: Arabic letter variants
// and diacritics, Arabic-Indic digits, spacing and separators) and only on distinctive elements: an
// element two plantings share after normalisation is never matched. Caller text is data: kept as is
// (≤ QUOTE_CHARS) for display, escaped by whoever renders it.
import type { Db } from '../store/db.ts';
import { normaliseText } from './normalise.ts';

const QUOTE_CHARS = 300;
const SHINGLE_WORDS = 4;
const MIN_NAME_CHARS = 6;

export interface VariantLink {
  hitId: string;
  plantingId: string;
  channelId: string;
  element: 'reference' | 'name' | 'wording';
  /** The planted element as the variant carries it. */
  planted: string;
  source: 'sms' | 'transcription' | 'note';
  /** What the caller's text said (as received, shortened). */
  quote: string;
  words: string;
}

interface Variant { fullName?: string; fullNameLatin?: string; description?: string; reference?: string }
interface Planting { id: string; channelId: string; v: Variant }

const spaceless = (s: string) => normaliseText(s).replace(/ /g, '');
const digitsOnly = (s: string) => normaliseText(s).replace(/[^0-9a-z]/g, '');

/**
 * `hitTexts`, when given, are the SMS bodies and transcriptions already read from the hits (the report
 * keeps them as it folds new hits: src/attribution/stored-calls.ts); investigators' notes are read here.
 */
export function variantLinks(db: Db, hitTexts?: Array<[string, string, VariantLink['source'], string]>): VariantLink[] {
  const hasNotes = (db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'hit_notes'`).pluck().get() as number) > 0;
  const notes = `SELECT n.hit_id, h.canary_id, 'note', n.text FROM hit_notes n JOIN hits h ON h.id = n.hit_id WHERE h.canary_id IS NOT NULL`;
  const texts = hitTexts
    ? [...hitTexts, ...(hasNotes ? db.prepare(notes).raw().all() as Array<[string, string, VariantLink['source'], string]> : [])]
    : db.prepare(
      `SELECT h.id, h.canary_id, 'sms' AS source, h.body AS text FROM hits h WHERE h.canary_id IS NOT NULL AND h.body IS NOT NULL AND h.body <> ''
       UNION ALL
       SELECT h.id, h.canary_id, 'transcription', json_extract(h.raw, '$.TranscriptionText') FROM hits h
         WHERE h.canary_id IS NOT NULL AND instr(h.raw, 'TranscriptionText') > 0 AND json_extract(h.raw, '$.TranscriptionText') IS NOT NULL
       ${hasNotes ? `UNION ALL ${notes}` : ''}`,
    ).raw().all() as Array<[string, string, VariantLink['source'], string]>;
  if (texts.length === 0) return [];
  const plantingsOf = db.prepare('SELECT id, channel_id, variant FROM plantings WHERE canary_id = ? ORDER BY created_at, id').raw();
  const cache = new Map<string, Planting[]>();
  const out: VariantLink[] = [];
  for (const [hitId, canaryId, source, text] of texts) {
    if (!cache.has(canaryId)) cache.set(canaryId, (plantingsOf.all(canaryId) as Array<[string, string, string]>).map(([id, channelId, v]) => ({ id, channelId, v: safeParse(v) })));
    for (const link of matchText(text, cache.get(canaryId)!)) out.push({ hitId, source, quote: text.slice(0, QUOTE_CHARS), ...link, words: words(source, link) });
  }
  return out;
}

type Match = Pick<VariantLink, 'plantingId' | 'channelId' | 'element' | 'planted'>;

/** The distinctive elements of these plantings that the text quotes. */
export function matchText(text: string, plantings: Planting[]): Match[] {
  const flat = spaceless(text);
  const runs = digitRuns(text);
  const found: Match[] = [];
  const unique = <T>(key: (p: Planting) => T | undefined, p: Planting) => {
    const k = key(p);
    return k !== undefined && k !== '' && plantings.every((o) => o === p || key(o) !== k);
  };
  for (const p of plantings) {
    const ref = p.v.reference;
    if (ref && unique((x) => (x.v.reference ? digitsOnly(x.v.reference) : undefined), p)) {
      const full = digitsOnly(ref);
      const serial = distinctiveTail(p, plantings);
      if (runs.some((r) => r.includes(full)) || (serial && runs.includes(serial))) found.push({ plantingId: p.id, channelId: p.channelId, element: 'reference', planted: ref });
    }
    for (const name of [p.v.fullName, p.v.fullNameLatin]) {
      if (!name || spaceless(name).length < MIN_NAME_CHARS) continue;
      const key = spaceless(name);
      if (plantings.some((o) => o !== p && [o.v.fullName, o.v.fullNameLatin].some((n) => n && spaceless(n) === key))) continue;
      if (flat.includes(key)) found.push({ plantingId: p.id, channelId: p.channelId, element: 'name', planted: name });
    }
    const shingle = p.v.description ? distinctiveShingle(p, plantings, normaliseText(text)) : undefined;
    if (shingle) found.push({ plantingId: p.id, channelId: p.channelId, element: 'wording', planted: shingle });
  }
  return found;
}

/** Digit runs in the text, separators (spaces, dashes, dots, slashes) removed, Arabic-Indic digits read as Latin. */
function digitRuns(text: string): string[] {
  const t = normaliseText(text).replace(/[a-z]+/g, (w) => ` ${w} `);
  return [...t.matchAll(/\d[\d \-./]*\d|\d/g)].map((m) => m[0].replace(/[^0-9]/g, '')).concat(
    [...normaliseText(text).matchAll(/[a-z0-9][a-z0-9 \-]*[0-9]/g)].map((m) => m[0].replace(/[^a-z0-9]/g, '')),
  );
}

/** The reference's last digit group when no other planting's reference ends with it (the drawn serial). */
function distinctiveTail(p: Planting, all: Planting[]): string | undefined {
  const tail = /(\d{5,})$/.exec(digitsOnly(p.v.reference!))?.[1];
  if (!tail) return undefined;
  const serial = tail.slice(-6);
  return all.every((o) => o === p || !digitsOnly(o.v.reference ?? '').endsWith(serial)) ? serial : undefined;
}

/** A run of SHINGLE_WORDS words of this planting's wording that no other planting's wording has, if the text quotes one. */
function distinctiveShingle(p: Planting, all: Planting[], text: string): string | undefined {
  const shingles = (s: string) => {
    const w = normaliseText(s).split(' ');
    return w.length < SHINGLE_WORDS ? [] : w.slice(0, w.length - SHINGLE_WORDS + 1).map((_, i) => w.slice(i, i + SHINGLE_WORDS).join(' '));
  };
  const others = new Set(all.filter((o) => o !== p).flatMap((o) => shingles(o.v.description ?? '')));
  const padded = ` ${text} `;
  return shingles(p.v.description!).find((s) => !others.has(s) && padded.includes(` ${s} `));
}

function words(source: VariantLink['source'], m: Match): string {
  const what = { sms: 'an SMS', transcription: 'a voicemail transcription', note: "an investigator's note of the call" }[source];
  const el = { reference: `reference ${m.planted}`, name: `the name spelled "${m.planted}"`, wording: `the wording "${m.planted}"` }[m.element];
  return `${what} quotes ${el}, which only the copy planted in this channel carries: this channel's copy leaked`;
}

function safeParse(v: string): Variant {
  try {
    const o = JSON.parse(v);
    return o && typeof o === 'object' ? (o as Variant) : {};
  } catch {
    return {};
  }
}
