// Exhaustive checks of a design's identifiability, for tests and small campaigns: the bound that
// splitDesign states (w > d·λ ⇒ d-disjunct) is proven here by brute force, not trusted.
import { designColumns, type Design, type Identifiability } from './designs.ts';

type Mask = Uint32Array;

function masksOf(columns: number[][], rows: number): Mask[] {
  const words = Math.max(1, Math.ceil(rows / 32));
  return columns.map((col) => {
    const m = new Uint32Array(words);
    for (const r of col) m[r >>> 5]! |= 1 << (r & 31);
    return m;
  });
}

/**
 * True when some ≤ d columns other than `self` together contain every row of `remaining`.
 * Exhaustive but pruned: the lowest uncovered row must be covered by one of the chosen columns,
 * so only columns holding it are branched on.
 */
function coverable(masks: Mask[], self: number, remaining: Mask, d: number): boolean {
  const w = remaining.findIndex((x) => x !== 0);
  if (w < 0) return true;
  if (d === 0) return false;
  const word = remaining[w]!;
  const bit = word & -word;
  for (let c = 0; c < masks.length; c++) {
    if (c === self || (masks[c]![w]! & bit) === 0) continue;
    const rest = remaining.map((x, i) => x & ~masks[c]![i]!);
    if (coverable(masks, self, rest, d - 1)) return true;
  }
  return false;
}

/** d-disjunct: no column is covered by the union of any d others. */
export function isDisjunct(columns: number[][], rows: number, d: number): boolean {
  const masks = masksOf(columns, rows);
  return masks.every((m, c) => !coverable(masks, c, m, d));
}

/** d-separable: every set of at most d columns has its own union (refuses above 5M sets). */
export function isSeparable(columns: number[][], rows: number, d: number): boolean {
  const masks = masksOf(columns, rows);
  const n = masks.length;
  let sets = 1;
  for (let k = 1, c = 1; k <= d; k++) sets += c = (c * (n - k + 1)) / k;
  if (sets > 5_000_000) throw new RangeError(`separability check over ${sets} sets refused; use the disjunct check`);
  const seen = new Set<string>();
  const union = new Uint32Array(masks[0]?.length ?? 1);
  const walk = (start: number, depth: number, acc: Uint32Array): boolean => {
    const key = acc.join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    if (depth === d) return true;
    for (let c = start; c < n; c++) {
      const next = acc.map((x, i) => x | masks[c]![i]!);
      if (!walk(c + 1, depth + 1, next)) return false;
    }
    return true;
  };
  return walk(0, 0, union);
}

/** The largest d ≤ upTo for which the design is disjunct, and separable, checked exhaustively. */
export function identifiability(design: Design, channels: string[], upTo: number): Identifiability {
  const columns = designColumns(design, channels);
  const rows = design.canaries.length;
  let disjunct = 0;
  while (disjunct < upTo && isDisjunct(columns, rows, disjunct + 1)) disjunct++;
  let separable = disjunct;
  while (separable < upTo && isSeparable(columns, rows, separable + 1)) separable++;
  return { disjunct, separable, method: 'exhaustive' };
}
