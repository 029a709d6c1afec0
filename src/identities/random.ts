// Every random choice goes through one seeded faker instance, so a seed fixes the whole sequence.
import { Faker, base } from '@faker-js/faker';

export interface Random {
  faker: Faker;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  digits(count: number): string;
}

export function createRandom(seed?: number, faker: Faker = new Faker({ locale: [base] })): Random {
  if (seed === undefined) faker.seed();
  else faker.seed(seed);
  return {
    faker,
    int: (min, max) => faker.number.int({ min, max }),
    pick: (items) => faker.helpers.arrayElement(items as unknown[]) as never,
    chance: (probability) => faker.datatype.boolean({ probability }),
    digits: (count) => faker.string.numeric({ length: count, allowLeadingZeros: true }),
  };
}

/** A stable 31-bit seed from text (FNV-1a), for choices that must repeat for the same identity. */
export function seedFrom(...parts: Array<string | number>): number {
  let hash = 0x811c9dc5;
  const text = parts.join('\u0000');
  // Code point by code point (a surrogate pair is one step), without an iterator: shaping seeds every cell.
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    hash ^= cp;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7fffffff;
}
