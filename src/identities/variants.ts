// Canary-trap variants: each planting of one canary gets its own name spelling, ticket wording
// and reference number, so whichever version a caller repeats names the copy that leaked.
// Variants are a pure function of the identity: asking again gives the same list.
import { IdentityError } from './errors.ts';
import { LOCALE_PACKS, ticketContext } from './locale-pack.ts';
import { arabicSpellings, englishSpellings, type NameSpelling } from './name-spellings.ts';
import { createRandom, seedFrom, type Random } from './random.ts';
import { containsTellWord } from './tells.ts';
import { composeDescription, voiceFor } from './tickets.ts';
import type { CanaryIdentity, PlantingVariant } from './types.ts';

/** More plantings of one canary than this is a design mistake, not a need. */
export const MAX_VARIANTS = 32;
const REWORD_TRIES = 200;

export function plantingVariants(identity: CanaryIdentity, n: number): PlantingVariant[] {
  if (!Number.isInteger(n) || n < 1 || n > MAX_VARIANTS) {
    throw new IdentityError('invalid-variant-count', `n: ask for 1 to ${MAX_VARIANTS} variants, not ${n}`, 'n');
  }
  const { persona, ticket } = identity;
  const seed = [persona.accountNumber, persona.nationalId ?? '', persona.phone.e164, ticket.createdAt];
  const random = createRandom(seedFrom(...seed));
  // Spelling every form of a name is most of the cost; one planting needs none of them. References
  // draw from their own stream, so a variant's reference does not depend on how many were asked for.
  const spellings = n > 1 ? chooseSpellings(identity, random, n - 1) : [];
  const references = drawReferences(identity, createRandom(seedFrom(...seed, 'references')), n);
  const descriptions = new Set([ticket.description]);
  const variants: PlantingVariant[] = [
    { index: 0, fullName: persona.fullName, ...latin(persona.fullNameLatin), description: ticket.description, reference: references[0]! },
  ];
  for (let index = 1; index < n; index++) {
    const spelling = spellings[(index - 1) % Math.max(1, spellings.length)];
    const description = reword(identity, random, descriptions);
    variants.push({
      index,
      fullName: spelling?.fullName ?? persona.fullName,
      ...latin(spelling?.fullNameLatin ?? persona.fullNameLatin),
      description,
      reference: references[index]!,
    });
  }
  return variants;
}

const latin = (fullNameLatin: string | undefined) => (fullNameLatin === undefined ? {} : { fullNameLatin });

const pairKey = (s: { fullName: string; fullNameLatin?: string }) => `${s.fullName}|${s.fullNameLatin ?? ''}`;

/**
 * `count` spellings other than the original: first those that sound different (a caller's words
 * are often all an investigator has), then those that read different, and — for names with few
 * written forms — the same Arabic with another Latin transliteration. Names repeat only when a
 * name has fewer forms than plantings; wording and reference still tell those plantings apart.
 */
function chooseSpellings(identity: CanaryIdentity, random: Random, count: number): NameSpelling[] {
  const { persona } = identity;
  const spell = () => (persona.locale === 'ar-SA' ? arabicSpellings(persona.fullName, random) : englishSpellings(persona.fullName, random));
  const all = spell();
  const sounds = new Set(all.filter((s) => s.fullName === persona.fullName).map((s) => s.audible));
  const usedNames = new Set([persona.fullName]);
  const usedPairs = new Set([pairKey(persona)]);
  const chosen: NameSpelling[] = [];
  const take = (s: NameSpelling) => (chosen.push(s), usedNames.add(s.fullName), usedPairs.add(pairKey(s)));
  const clean = random.faker.helpers.shuffle(all).filter((s) => !containsTellWord(pairKey(s)));
  for (const s of clean) if (chosen.length < count && !sounds.has(s.audible) && !usedNames.has(s.fullName)) (sounds.add(s.audible), take(s));
  for (const s of clean) if (chosen.length < count && !usedNames.has(s.fullName)) take(s);
  for (let round = 0; round < 20 && chosen.length < count; round++) {
    for (const s of spell()) if (chosen.length < count && !usedPairs.has(pairKey(s)) && !containsTellWord(pairKey(s))) take(s);
  }
  return chosen;
}

function reword(identity: CanaryIdentity, random: Random, used: Set<string>): string {
  const { persona, ticket } = identity;
  const pack = LOCALE_PACKS[persona.locale];
  for (let i = 0; i < REWORD_TRIES; i++) {
    const voice = voiceFor(random, ticket.intakeChannel);
    const text = composeDescription(random, pack.phrases, ticket.category, voice, ticketContext(persona));
    if (!used.has(text) && !containsTellWord(text)) return used.add(text), text;
  }
  throw new IdentityError('variants-exhausted', 'n: no further distinct wording of this ticket', 'n');
}

/** References share the ticket's year and month, as a CRM's would; the serial part is drawn. */
function drawReferences(identity: CanaryIdentity, random: Random, n: number): string[] {
  const [, yyyy, mm] = /^(\d{4})-(\d{2})/.exec(identity.ticket.createdAt) ?? [];
  const pack = LOCALE_PACKS[identity.persona.locale];
  const out = new Set<string>();
  while (out.size < n) out.add(pack.reference((yyyy ?? '2025').slice(2), mm ?? '01', String(random.int(100000, 999999))));
  return [...out];
}
