// Canary-trap variants: each planting of one canary must be told apart from the others by name
// spelling, wording and reference, and the first ones must differ in ways a caller's voice shows.
import { describe, expect, it } from 'vitest';
import { createIdentityGenerator, IdentityError, type Locale } from '../../src/identities/index.ts';
import { FIXED_NOW } from './support.ts';

function generatorFor(locale: Locale) {
  return createIdentityGenerator({ locale, seed: 5150, now: () => FIXED_NOW });
}

/** What a listener hears of an Arabic name: بن or not, how many parts, whether the article is said. */
function arabicSound(fullName: string): string {
  const words = fullName.replace(/عبد /g, 'عبد').split(' ');
  const parts = words.filter((w) => w !== 'بن' && w !== 'بنت');
  return `${words.length !== parts.length}|${parts.length}|${parts.at(-1)!.startsWith('ال')}`;
}

describe.each(['ar-SA', 'en-US'] as const)('%s variants', (locale) => {
  it('when 6 variants are asked for, then index 0 is the identity as generated', () => {
    const generator = generatorFor(locale);
    const identity = generator.next();
    const [first] = generator.variants(identity, 6);
    expect(first).toMatchObject({ index: 0, fullName: identity.persona.fullName, description: identity.ticket.description });
    expect(first!.fullNameLatin).toBe(identity.persona.fullNameLatin);
  });

  it('when one variant or several are asked for, then the first is the same either way, reference included', () => {
    const generator = generatorFor(locale);
    const identity = generator.next();
    expect(generator.variants(identity, 1)[0]).toEqual(generator.variants(identity, 4)[0]);
  });

  it('when 6 variants of each of 50 canaries are asked for, then name spellings, wordings and references all differ', () => {
    const generator = generatorFor(locale);
    for (let i = 0; i < 50; i++) {
      const identity = generator.next();
      const variants = generator.variants(identity, 6);
      expect(variants.map((v) => v.index)).toEqual([0, 1, 2, 3, 4, 5]);
      // A name with few written forms may repeat its Arabic once, then the Latin spelling differs.
      expect(new Set(variants.map((v) => `${v.fullName}|${v.fullNameLatin}`)).size).toBe(6);
      expect(new Set(variants.map((v) => v.fullName)).size).toBeGreaterThanOrEqual(locale === 'ar-SA' ? 5 : 6);
      expect(new Set(variants.map((v) => v.description)).size).toBe(6);
      expect(new Set(variants.map((v) => v.reference)).size).toBe(6);
    }
  });

  it('then the reference looks like a utility ticket number of the ticket month', () => {
    const generator = generatorFor(locale);
    const identity = generator.next();
    const yymm = identity.ticket.createdAt.slice(2, 4) + identity.ticket.createdAt.slice(5, 7);
    const shape = locale === 'ar-SA' ? new RegExp(`^${yymm}\\d{6}$`) : new RegExp(`^SR-${yymm}-\\d{6}$`);
    for (const v of generator.variants(identity, 8)) expect(v.reference).toMatch(shape);
  });

  it('when asked for 0 or too many variants, then an IdentityError names n', () => {
    const generator = generatorFor(locale);
    const identity = generator.next();
    for (const n of [0, -1, 1.5, 1000]) {
      expect(() => generator.variants(identity, n)).toThrowError(expect.objectContaining({ code: 'invalid-variant-count', setting: 'n' }));
    }
    expect(() => generator.variants(identity, 0)).toThrow(IdentityError);
  });
});

describe('ar-SA name spellings', () => {
  it('when 4 variants are made, then each sounds different from the others (بن, parts, article)', () => {
    const generator = generatorFor('ar-SA');
    for (let i = 0; i < 30; i++) {
      const identity = generator.next();
      const sounds = generator.variants(identity, 4).map((v) => arabicSound(v.fullName));
      expect(new Set(sounds).size, sounds.join(' / ')).toBe(4);
    }
  });

  it('then every variant carries a Latin spelling with the same given name sound', () => {
    const generator = generatorFor('ar-SA');
    const identity = generator.next();
    const variants = generator.variants(identity, 8);
    for (const v of variants) expect(v.fullNameLatin).toMatch(/^[A-Za-z' -]+$/);
    expect(new Set(variants.map((v) => v.fullNameLatin)).size).toBeGreaterThan(4);
  });
});

describe('en-US name spellings', () => {
  it('when 3 variants are made, then both are new spellings and the first uses another form of the given name', () => {
    const generator = generatorFor('en-US');
    const givenForm = (fullName: string, surname: string) =>
      fullName.split(/[ ,]+/).find((w) => w.toLowerCase() !== surname.toLowerCase())!.toLowerCase();
    for (let i = 0; i < 30; i++) {
      const identity = generator.next();
      const [original, ...rest] = generator.variants(identity, 3);
      const surname = identity.persona.fullName.split(' ').at(-1)!;
      expect(new Set([original, ...rest].map((v) => v!.fullName)).size).toBe(3);
      for (const v of rest) {
        expect(v.fullName.toLowerCase()).toContain(surname.toLowerCase());
        expect(v.fullName).toMatch(/^([A-Z][a-z]+( [A-Z]\.)? [A-Z][A-Za-z]+|[A-Z][A-Za-z]+, [A-Z][a-z]+( [A-Z]\.)?)$/i);
      }
      // Told apart by ear, not only in writing: "Becky" where the original says "Rebecca".
      expect(givenForm(rest[0]!.fullName, surname)).not.toBe(givenForm(original!.fullName, surname));
    }
  });
});
