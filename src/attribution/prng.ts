// A small seeded random source for the world simulator and the designs. Mulberry32 (Tommy
// Ettinger's 32-bit generator, public domain; period 2^32, passes gjrand/PractRand to 2^32
// outputs) rather than faker's Mersenne Twister: the bench draws millions of numbers per run,
// each world wants its own independent stream from a derived seed, and faker's generator is one
// global instance per Faker object. Same seed, same world, on every machine (integer arithmetic only
// until the final division).

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Poisson with mean λ (inversion for small λ, normal approximation above 60). */
  poisson(mean: number): number;
  bernoulli(p: number): boolean;
  /** A new stream, deterministic from this one's seed and a label. */
  fork(label: string | number): Rng;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the seed and label: independent-looking seeds for forked streams. */
export function deriveSeed(seed: number, label: string | number): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (const ch of `${seed}:${label}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const rng: Rng = {
    next,
    int: (n) => Math.floor(next() * n),
    normal: () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    poisson: (mean) => {
      if (mean <= 0) return 0;
      if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
      const limit = Math.exp(-mean);
      let k = 0;
      let p = next();
      while (p > limit) {
        k++;
        p *= next();
      }
      return k;
    },
    bernoulli: (p) => next() < p,
    fork: (label) => createRng(deriveSeed(seed, label)),
  };
  return rng;
}

/** Fisher–Yates, in place. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** k distinct indices of [0, n), in increasing order. */
export function sample(rng: Rng, n: number, k: number): number[] {
  return shuffle(rng, Array.from({ length: n }, (_, i) => i)).slice(0, k).sort((a, b) => a - b);
}
