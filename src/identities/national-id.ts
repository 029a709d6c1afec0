// Saudi national ID (1…) and iqama (2…) numbers: 10 digits, the last a Luhn check over all ten.
// IDs are drawn at random within the allowed block — never counted upwards — so two canaries
// made a minute apart do not carry neighbouring numbers.
import { luhnCheckDigit } from './checksums.ts';
import { IdentityError } from './errors.ts';
import type { Random } from './random.ts';

const SETTING = 'nationalIdRange';
/** After this many random misses, walk the block from a random point so exhaustion is exact. */
const RANDOM_TRIES = 48;

export interface NationalIdAllocator {
  /** kind: citizen IDs start with 1, resident iqamas with 2 (ignored inside a reserved range). */
  next(kind: 'citizen' | 'resident'): string;
}

export function createNationalIdAllocator(random: Random, range?: { from: string; to: string }): NationalIdAllocator {
  const used = new Set<string>();
  const blockFor = (kind: 'citizen' | 'resident') =>
    range ?? (kind === 'citizen' ? { from: '1000000000', to: '1999999999' } : { from: '2000000000', to: '2999999999' });
  return {
    next(kind) {
      const { from, to } = blockFor(kind);
      const id = drawFromBlock(random, Number(from), Number(to), used);
      if (id === undefined) {
        throw new IdentityError(
          'national-id-range-exhausted',
          `${SETTING}: every valid ID from ${from} to ${to} is already used (${used.size} issued)`,
          SETTING,
        );
      }
      used.add(id);
      return id;
    },
  };
}

/** The one valid ID whose first nine digits are `body`, if it lies within [from, to]. */
function idFor(body: number, from: number, to: number): string | undefined {
  const bodyText = String(body).padStart(9, '0');
  const id = bodyText + luhnCheckDigit(bodyText);
  const n = Number(id);
  return n >= from && n <= to ? id : undefined;
}

function drawFromBlock(random: Random, from: number, to: number, used: Set<string>): string | undefined {
  const lo = Math.floor(from / 10);
  const hi = Math.floor(to / 10);
  for (let i = 0; i < RANDOM_TRIES; i++) {
    const id = idFor(random.int(lo, hi), from, to);
    if (id && !used.has(id)) return id;
  }
  // The block is nearly full (or tiny): one pass from a random start finds any free ID left.
  const span = hi - lo + 1;
  if (used.size >= span) return undefined;
  const start = random.int(0, span - 1);
  for (let k = 0; k < span; k++) {
    const id = idFor(lo + ((start + k) % span), from, to);
    if (id && !used.has(id)) return id;
  }
  return undefined;
}
