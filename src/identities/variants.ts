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
  const random = createRandom(seedFrom(persona.accountNumber, persona.nationalId ?? '', persona.phone.e164, ticket.createdAt));
  const spellings = orderSpellings(identity, random);
  const references = drawReferences(identity, random, n);
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

/**
 * Distinct spellings other than the original, those that sound different first (a caller's
 * words are often all an investigator has), each group in a seeded random order.
 */
function orderSpellings(identity: CanaryIdentity, random: Random): NameSpelling[] {
  const { persona } = identity;
  const all = persona.locale === 'ar-SA' ? arabicSpellings(persona.fullName, random) : englishSpellings(persona.fullName, random);
  const byName = new Map<string, NameSpelling>();
  for (const s of random.faker.helpers.shuffle(all)) {
    if (s.fullName !== persona.fullName && !byName.has(s.fullName) && !containsTellWord(s.fullName)) byName.set(s.fullName, s);
  }
  const firstOfSound: NameSpelling[] = [];
  const rest: NameSpelling[] = [];
  const sounds = new Set<string>();
  for (const s of byName.values()) {
    if (sounds.has(s.audible)) rest.push(s);
    else (sounds.add(s.audible), firstOfSound.push(s));
  }
  return [...firstOfSound, ...rest];
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
