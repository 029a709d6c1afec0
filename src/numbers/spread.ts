// Canary numbers are a column too: a target whose customers carry every operator's prefixes
// would show a block of canaries all on one prefix. The spread a target's profile shows (share of
// each leading national digit pair, or US area code) becomes the pool's goal: each new canary
// takes a number in the prefix furthest below its share, and the pool says when it cannot.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type Shares = Record<string, number>;

/** The leading national digits a profile counts: two for Saudi mobiles (operator), three for US (area code). */
export function nationalPrefix(e164: string): { country: string; prefix: string } | undefined {
  const p = parsePhoneNumberFromString(e164);
  if (!p?.country) return undefined;
  return { country: p.country, prefix: p.nationalNumber.slice(0, p.country === 'US' ? 3 : 2) };
}

export class NumberSpread {
  private readonly goals = new Map<string, Shares>();
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly warned = new Set<string>();

  constructor(private readonly warn: (message: string) => void = () => {}) {}

  setGoal(country: string, shares: Shares): void {
    const total = Object.values(shares).reduce((a, b) => a + b, 0);
    if (total > 0) this.goals.set(country.toUpperCase(), Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, v / total])));
  }

  goal(country: string): Shares | undefined {
    return this.goals.get(country.toUpperCase());
  }

  /** Prefixes in the order a new canary should try them: the most under-represented first. */
  order(country: string, seed: (country: string) => Map<string, number>): string[] {
    const goal = this.goal(country);
    if (!goal) return [];
    const counts = this.countsFor(country, seed);
    const n = [...counts.values()].reduce((a, b) => a + b, 0) + 1;
    return Object.keys(goal).sort((a, b) => (goal[b]! * n - (counts.get(b) ?? 0)) - (goal[a]! * n - (counts.get(a) ?? 0)));
  }

  /** Records the number a canary was given, and warns once per prefix the pool could not match. */
  assigned(country: string, e164: string, wanted: string | undefined, seed: (country: string) => Map<string, number>): void {
    const got = nationalPrefix(e164)?.prefix;
    const counts = this.countsFor(country, seed);
    if (got) counts.set(got, (counts.get(got) ?? 0) + 1);
    if (wanted && got !== wanted && !this.warned.has(`${country}:${wanted}`)) {
      this.warned.add(`${country}:${wanted}`);
      this.warn(`the number pool cannot match the target's spread: no ready ${country} number starting ${wanted} ` +
        `(provision some: tracer numbers provision --country ${country} --area-code ${wanted}); canaries take other prefixes meanwhile`);
    }
  }

  private countsFor(country: string, seed: (country: string) => Map<string, number>): Map<string, number> {
    const key = country.toUpperCase();
    if (!this.counts.has(key)) this.counts.set(key, seed(key));
    return this.counts.get(key)!;
  }
}
