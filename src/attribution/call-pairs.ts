// Every call folded into (caller, number) pairs, in flat typed arrays: what the decoder needs of a
// million hits without a million objects. A pair keeps the caller's earliest calls on the number
// (enough to find the first call after each exposure), how many calls it made in all, and the
// canary the number belonged to. Pairs depend on the hits alone, so the report keeps them between
// decodes and folds in only the hits stored since (src/attribution/stored-calls.ts).
import type { DecoderCall } from './model.ts';
import { WITHHELD_PREFIX } from './model.ts';

/** Earliest calls kept per (caller, number): enough to find the first call after each exposure. */
export const TIMES_PER_PAIR = 4;

/** Growable typed columns. */
class Column<T extends Int32Array | Float64Array> {
  constructor(public data: T, private readonly make: (n: number) => T) {}
  ensure(n: number): void {
    if (n <= this.data.length) return;
    const next = this.make(Math.max(n, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}
const ints = (n: number) => new Column(new Int32Array(n), (m) => new Int32Array(m));
const floats = (n: number) => new Column(new Float64Array(n), (m) => new Float64Array(m));

export class CallPairs {
  /** Caller keys by index; a withheld call is a caller of its own and is never looked up again. */
  readonly callers: string[] = [];
  private readonly callerIx = new Map<string, number>();
  readonly numbers: string[] = [];
  private readonly numberIx = new Map<string, number>();
  readonly canaries: string[] = [];
  private readonly canaryIx = new Map<string, number>();
  private readonly pairIx = new Map<number, number>();

  /** Distinct numbers each caller rang. */
  private readonly callerNumbers = ints(1024);
  /** 1 for a withheld caller: it names no one. */
  private readonly callerWithheld = ints(1024);
  private readonly pCaller = ints(1024);
  private readonly pNumber = ints(1024);
  /** Canary index of the number when the pair's first call came, -1 for none. */
  private readonly pCanary = ints(1024);
  private readonly pCount = ints(1024);
  private readonly pKept = ints(1024);
  private readonly pTimes = floats(1024 * TIMES_PER_PAIR);
  /** A reference per kept call (a hit's rowid, or a call's position), resolved to its id by `idOf`. */
  private readonly pRefs = floats(1024 * TIMES_PER_PAIR);
  size = 0;
  calls = 0;

  constructor(readonly idOf: (ref: number) => string) {}

  add(caller: string, number: string, canaryId: string | null, at: number, ref: number): void {
    this.calls++;
    let c: number;
    if (caller.startsWith(WITHHELD_PREFIX)) c = this.newCaller(caller, false);
    else c = this.callerIx.get(caller) ?? this.newCaller(caller, true);
    let n = this.numberIx.get(number);
    if (n === undefined) {
      n = this.numbers.length;
      this.numbers.push(number);
      this.numberIx.set(number, n);
    }
    const key = c * 4_194_304 + n;
    let p = this.pairIx.get(key);
    if (p === undefined) {
      p = this.size++;
      this.pairIx.set(key, p);
      for (const col of [this.pCaller, this.pNumber, this.pCanary, this.pCount, this.pKept]) col.ensure(this.size);
      this.pTimes.ensure(this.size * TIMES_PER_PAIR);
      this.pRefs.ensure(this.size * TIMES_PER_PAIR);
      this.pCaller.data[p] = c;
      this.pNumber.data[p] = n;
      this.pCanary.data[p] = canaryId === null ? -1 : this.canaryIndex(canaryId);
      this.pCount.data[p] = 0;
      this.pKept.data[p] = 0;
      this.callerNumbers.data[c]!++;
    }
    this.pCount.data[p]!++;
    this.keepEarliest(p, at, ref);
  }

  private newCaller(key: string, remember: boolean): number {
    const c = this.callers.length;
    this.callers.push(key);
    if (remember) this.callerIx.set(key, c);
    this.callerNumbers.ensure(c + 1);
    this.callerWithheld.ensure(c + 1);
    this.callerNumbers.data[c] = 0;
    this.callerWithheld.data[c] = remember ? 0 : 1;
    return c;
  }

  private canaryIndex(id: string): number {
    let k = this.canaryIx.get(id);
    if (k === undefined) {
      k = this.canaries.length;
      this.canaries.push(id);
      this.canaryIx.set(id, k);
    }
    return k;
  }

  private keepEarliest(p: number, at: number, ref: number): void {
    const times = this.pTimes.data;
    const refs = this.pRefs.data;
    const base = p * TIMES_PER_PAIR;
    let kept = this.pKept.data[p]!;
    if (kept === TIMES_PER_PAIR && at >= times[base + kept - 1]!) return;
    let i = kept < TIMES_PER_PAIR ? kept : TIMES_PER_PAIR - 1;
    while (i > 0 && times[base + i - 1]! > at) {
      times[base + i] = times[base + i - 1]!;
      refs[base + i] = refs[base + i - 1]!;
      i--;
    }
    times[base + i] = at;
    refs[base + i] = ref;
    if (kept < TIMES_PER_PAIR) this.pKept.data[p] = kept + 1;
  }

  /** The columns as they stand (valid until the next `add`), for loops that read every pair. */
  columns() {
    return {
      caller: this.pCaller.data, canary: this.pCanary.data, count: this.pCount.data, kept: this.pKept.data,
      times: this.pTimes.data, numbers: this.callerNumbers.data, withheld: this.callerWithheld.data,
    };
  }

  // Readers, by pair index.
  caller(p: number): number { return this.pCaller.data[p]!; }
  time(p: number, i: number): number { return this.pTimes.data[p * TIMES_PER_PAIR + i]!; }
  ref(p: number, i: number): number { return this.pRefs.data[p * TIMES_PER_PAIR + i]!; }
  numbersOf(c: number): number { return this.callerNumbers.data[c]!; }
  withheld(c: number): boolean { return this.callerWithheld.data[c] === 1; }
  callerIndex(key: string): number | undefined { return this.callerIx.get(key); }
  /** The kept call at or after `from` with the smallest time, as its slot; -1 when none is kept. */
  firstAfter(p: number, from: number): number {
    const times = this.pTimes.data;
    const base = p * TIMES_PER_PAIR;
    const kept = this.pKept.data[p]!;
    for (let i = 0; i < kept; i++) if (times[base + i]! >= from) return i;
    return -1;
  }
}

/** Pairs from calls given as data (the simulator, tests): a call's reference is its position. */
export function pairsOf(calls: Iterable<DecoderCall>): CallPairs {
  const ids: string[] = [];
  const pairs = new CallPairs((ref) => ids[ref]!);
  for (const call of calls) {
    pairs.add(call.caller, call.number, call.canaryId, call.at, ids.length);
    ids.push(call.id);
  }
  return pairs;
}
