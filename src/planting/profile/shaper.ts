// Writing a canary in the target's own shape: each mapped column's value, as the mapping renders
// it from the canary, is turned into the form the target's real rows have — its phone layout,
// its date spread, its category shares and null rate, its id scheme. The canary's own number stays
// its number; only how it is written changes. Every draw is seeded by the canary and the column,
// so rendering the same planting again (dry run, reconcile) gives the same values.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { compileFormat, drawValue, type CompiledFormat } from '../../identities/formats.ts';
import type { Random } from '../../identities/random.ts';
import { seedFrom } from '../../identities/random.ts';
import type { ExpressionContext, Scalar } from '../expressions.ts';
import { parseWallTime, wallInstant, zoneMinutes } from './learn.ts';
import type { ColumnProfile, DateShape, PhoneShape, TargetProfile } from './types.ts';

const DAY_MS = 86_400_000;

export interface ShapedTable {
  table: string;
  key: string;
  generated: boolean;
  unique: string[];
  lookup?: string[];
  columns: Record<string, string>;
}

export interface Counter {
  column: string;
  prefix: string;
  width: number;
  step: number;
}

/** A small seeded generator (mulberry32): thousands of columns a batch, no faker instance each. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What shape() needs of one column, worked out when the profile is applied. */
interface Plan {
  c: ColumnProfile;
  mayNull: boolean;
  /** Category columns drawn in the target's shares: always (status, intake channel) or when the value is unknown there. */
  category?: { always: boolean; labels: string[]; weights: number[] };
  /** The id scheme a code column is redrawn in (never the canary's national id or numbers). */
  format?: CompiledFormat;
}

export class ProfileShaper {
  private readonly byColumn = new Map<string, ColumnProfile>();
  private readonly formats = new Map<string, CompiledFormat>();
  /** Per table and column, what shape() needs, worked out once: a batch shapes thousands of cells. */
  private readonly plans = new Map<string, Map<string, Plan>>();
  private readonly ages: number[] | undefined;
  private readonly zone: number;
  /** The canary's number is written in several columns (customer, contact): parsed once. */
  private readonly parsedPhones = new Map<string, { n: string; cc: string } | null>();
  private readonly drawsOf = new Map<string, { age: number; hour: number; minute: number }>();
  private readonly zoneOf = new Map<string, number>();

  constructor(readonly profile: TargetProfile, private readonly ticketTable: string, private readonly tables: ShapedTable[], private readonly clock?: () => Date) {
    for (const c of profile.columns) if (!c.note) this.byColumn.set(`${c.table}.${c.column}`, c);
    for (const c of this.byColumn.values()) {
      if (c.code?.sequence !== 'random') continue;
      try {
        this.formats.set(`${c.table}.${c.column}`, compileFormat({ pattern: c.code.pattern, prefix: c.code.prefix, checkDigit: c.code.checkDigit }, 'profile'));
      } catch {
        // A learned pattern that cannot yield varied values (all literal) is not redrawn from.
      }
    }
    for (const t of tables) {
      const plan = new Map<string, Plan>();
      for (const column of Object.keys(t.columns)) {
        const c = this.byColumn.get(`${t.table}.${column}`);
        if (!c) continue;
        const shares = c.category ? Object.entries(c.category.shares) : [];
        plan.set(column, {
          c, mayNull: this.mayNull(c, t),
          category: c.category && !/^(ref\.|routing\.|')/.test(c.source)
            ? { always: /^ticket\.(status|intakeChannel)\b/.test(c.source), labels: shares.map(([v]) => v), weights: shares.map(([, w]) => w) } : undefined,
          format: /nationalId|phone|landline/.test(c.source) ? undefined : this.formats.get(`${t.table}.${column}`),
        });
      }
      this.plans.set(t.table, plan);
    }
    this.ages = [...this.byColumn.values()].find((c) => c.date && c.table !== this.ticketTable && !/^ref\./.test(c.source))?.date!.ageDays;
    this.zone = [...this.byColumn.values()].find((c) => c.date?.offsetMinutes != null)?.date!.offsetMinutes ?? 0;
  }

  /** Columns of a table filled with the next free counter value inside the planting's transaction. */
  counters(table: string): Counter[] {
    const t = this.tables.find((x) => x.table === table);
    return Object.keys(t?.columns ?? {}).flatMap((column) => {
      const c = this.byColumn.get(`${table}.${column}`);
      if (c?.code?.sequence !== 'counter' || !c.code.counter || column === t!.key && t!.generated) return [];
      const { prefix, width, medianGap } = c.code.counter;
      return [{ column, prefix, width, step: Math.max(1, Math.round(medianGap)) }];
    });
  }

  /**
   * The ticket table's creation time, when the table's key rises with time: canaries of a batch
   * take times after the newest real ticket's, in key order, in the target's busy hours.
   */
  arrivalColumn(table: string): string | undefined {
    const t = this.tables.find((x) => x.table === table);
    if (table !== this.ticketTable || !t) return undefined;
    const rising = t.generated || this.counters(table).length > 0;
    const c = [...this.byColumn.values()].find((x) => x.table === table && x.date && x.date.layout !== 'date' && /ticket\.createdAt/.test(x.source));
    return rising ? c?.column : undefined;
  }

  /** Times between the newest real ticket and the batch's own latest time, ascending, one per row. */
  arrivals(table: string, rows: Array<Record<string, Scalar>>, newest: string | null): void {
    const column = this.arrivalColumn(table)!;
    const d = this.byColumn.get(`${table}.${column}`)!.date!;
    const instants = rows.map((r) => wallInstant(String(r[column] ?? ''))).filter((x): x is number => x !== null);
    if (instants.length === 0) return;
    // Between the newest ticket already there and now (the tracer's clock, else the batch's latest drawn time).
    const now = this.clock ? this.clock().getTime() : Math.max(...instants);
    const after = newest === null ? null : wallInstant(newest);
    const lo = after === null ? now - DAY_MS : Math.min(after, now);
    const hi = after !== null && after >= now ? after + 600_000 : now;
    const cap = hi;
    const rnd = seeded(seedFrom(table, String(newest), rows.length, cap));
    const offset = d.offsetMinutes ?? 0;
    const peak = Math.max(...d.hours);
    const draw = () => {
      for (let i = 0; i < 50; i++) {
        const at = lo + rnd() * (hi - lo);
        const hour = new Date(at + offset * 60_000).getUTCHours();
        if (rnd() * peak < d.hours[hour]!) return at;
      }
      return lo + rnd() * Math.min(600_000, hi - lo);
    };
    const times = rows.map(draw).sort((a, b) => a - b);
    // A ticket is dated when it is entered: the batch's last one carries the planting moment itself,
    // unless that moment is an hour the target never logs tickets in.
    if (this.clock && d.hours[new Date(now + offset * 60_000).getUTCHours()]! > 0 && now > lo) times[times.length - 1] = now;
    rows.forEach((r, i) => (r[column] = formatWall(Math.floor(times[i]! / 1000) * 1000, d, offset)));
  }

  /** Columns whose values were redrawn in the target's id scheme: their uniqueness is checked at write time. */
  redrawnCodes(table: string): string[] {
    return [...this.formats.keys()]
      .filter((k) => k.startsWith(`${table}.`) && !/^ref\.|nationalId|phone|landline/.test(this.byColumn.get(k)!.source))
      .map((k) => k.slice(table.length + 1));
  }

  shape(table: string, column: string, value: Scalar, ctx: ExpressionContext): Scalar {
    const plan = this.plans.get(table)?.get(column);
    if (!plan || value === null) return value;
    const { c } = plan;
    const rnd = seeded(seedFrom(ctx.persona?.accountNumber ?? '', ctx.variant?.index ?? 0, table, column));
    if (plan.mayNull && rnd() < c.nullRate) return null;
    switch (c.kind) {
      case 'phone':
        return this.formatPhone(String(value), c.phone!, ctx) ?? value;
      case 'date':
      case 'datetime':
        return this.shapeDate(String(value), c, table, ctx, rnd) ?? value;
      case 'category':
        return this.shapeCategory(plan, String(value), rnd);
      case 'code':
        return this.shapeCode(table, column, String(value), plan.format, rnd);
      default:
        return value;
    }
  }

  private formatPhone(value: string, shape: PhoneShape, ctx: ExpressionContext): string | undefined {
    const known = ownNumber(value, shape.country, ctx);
    if (known) return writePhone(known, shape);
    let parsed = this.parsedPhones.get(`${shape.country}${value}`);
    if (parsed === undefined) {
      if (this.parsedPhones.size >= 4096) this.parsedPhones.clear();
      parsed = parsePhone(value, shape.country);
      this.parsedPhones.set(`${shape.country}${value}`, parsed);
    }
    return parsed ? writePhone(parsed, shape) : undefined;
  }

  /** Columns that find a row again or tie rows together are never blanked; optional sources are blank on their own. */
  private mayNull(c: ColumnProfile, t: ShapedTable): boolean {
    if (c.nullRate < 0.02 || c.column === t.key || t.unique.includes(c.column) || t.lookup?.includes(c.column)) return false;
    return !/^ref\.|phone|landline|\?\?/.test(c.source);
  }

  /**
   * A ticket's status and intake channel are drawn in the target's proportions. Other categories
   * hang together with the rest of the canary (a city with its postal code, a priority with its
   * complaint, a queue with its channel) and are redrawn only when the target never uses the value.
   */
  private shapeCategory(plan: Plan, value: string, rnd: () => number): Scalar {
    const k = plan.category;
    if (!k || !(k.always || !(value in plan.c.category!.shares)) || k.labels.length === 0) return value;
    return k.labels[weightedIndex(k.weights, rnd())]!;
  }

  private shapeCode(table: string, column: string, value: string, format: CompiledFormat | undefined, rnd: () => number): Scalar {
    if (!format || fits(value, format)) return value;
    return drawValue(format, randomFrom(rnd), `profile ${table}.${column}`);
  }

  private shapeDate(value: string, c: ColumnProfile, table: string, ctx: ExpressionContext, rnd: () => number): string | undefined {
    const w = parseWallTime(value);
    if (!w) return undefined;
    const d = c.date!;
    const written = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - (zoneMinutes(w.zone) ?? 0) * 60_000;
    const offset = d.offsetMinutes ?? 0;
    // A one-table target (a CRM's ticket, a CSV row) also carries the customer's dates: those are history.
    const recent = table === this.ticketTable && !/^persona\./.test(c.source);
    const instant = recent ? recentInstant(written, d, offset, rnd) : this.historicInstant(ctx, d, offset, written);
    return formatWall(instant, d, offset);
  }

  /**
   * An account's dates: one age per canary, shared by every history column (drawn from the first
   * one's ages), and one calendar day in the customer's own zone, so a customer created and an
   * account opened on the same day in real rows are on the same day in canaries too. The day is
   * local (a date column holds the local date), the hour is as the column writes it: a target
   * that stores times in UTC then shows, as its real rows do, the evening before the local day.
   */
  private historicInstant(ctx: ExpressionContext, d: DateShape, offset: number, written: number): number {
    const anchor = ctx.ticket ? Date.parse(ctx.ticket.createdAt) : written;
    const persona = ctx.persona?.accountNumber ?? '';
    const draws = this.historyDraws(persona);
    const age = Math.max(1, quantileAt(this.ages ?? d.ageDays, draws.age));
    const zone = this.localZone(ctx);
    const localDay = Math.floor((anchor - age * DAY_MS + zone * 60_000) / DAY_MS) * DAY_MS;
    if (d.layout === 'date') return localDay + 12 * 3600_000;
    const hour = weightedIndex(d.hours, draws.hour);
    const minute = Math.floor(draws.minute * 3600);
    // The drawn hour is in the column's written zone; as a local time it may fall on the local day only from the evening before.
    const local = (((hour * 60 - offset + zone) % 1440) + 1440) % 1440;
    return localDay + local * 60_000 + minute * 1000 - zone * 60_000;
  }

  /** One canary's history draws, the same for each of its history columns: drawn once. */
  private historyDraws(persona: string): { age: number; hour: number; minute: number } {
    let d = this.drawsOf.get(persona);
    if (!d) {
      if (this.drawsOf.size >= 4096) this.drawsOf.clear();
      d = { age: seeded(seedFrom(persona, 'history-age'))(), hour: seeded(seedFrom(persona, 'history-hour'))(), minute: seeded(seedFrom(persona, 'history-minute'))() };
      this.drawsOf.set(persona, d);
    }
    return d;
  }

  /** The customer's zone: the one the canary's own dates are written in (its locale's), else the target's first zoned column's. */
  private localZone(ctx: ExpressionContext): number {
    const opened = ctx.persona?.openedAt;
    if (!opened) return this.zone;
    let zone = this.zoneOf.get(opened);
    if (zone === undefined) {
      if (this.zoneOf.size >= 4096) this.zoneOf.clear();
      zone = zoneMinutes(parseWallTime(opened)?.zone) ?? this.zone;
      this.zoneOf.set(opened, zone);
    }
    return zone;
  }

}

/** A new complaint keeps its week: the day and hour are drawn from the target's weekday and hour shares, never after it was made. */
function recentInstant(written: number, d: DateShape, offset: number, rnd: () => number): number {
  const local = written + offset * 60_000;
  const today = Math.floor(local / DAY_MS) * DAY_MS;
  // 1970-01-01 was a Thursday (weekday 4).
  const weekday = (Math.floor(today / DAY_MS) % 7 + 11) % 7;
  const dayWeights = Array.from({ length: 7 }, (_, k) => d.weekdays[(weekday - k + 7) % 7]!);
  for (let tries = 0; tries < 20; tries++) {
    const k = weightedIndex(dayWeights, rnd());
    const hourWeights = d.hours.map((h, hour) => (k === 0 && today + hour * 3600_000 > local ? 0 : h));
    if (hourWeights.every((h) => h === 0)) continue;
    const hour = weightedIndex(hourWeights, rnd());
    const at = today - k * DAY_MS + hour * 3600_000 + Math.floor(rnd() * 3600) * 1000;
    if (at <= local) return at - offset * 60_000;
  }
  return written;
}

function formatWall(instant: number, d: DateShape, offset: number): string {
  const iso = new Date(instant + offset * 60_000).toISOString();
  const [date, time] = [iso.slice(0, 10), iso.slice(11, 19)];
  if (d.layout === 'date') return date;
  if (d.layout === 'space') return `${date} ${time}`;
  if (d.layout === 'iso-z') return new Date(instant).toISOString().slice(0, 19) + 'Z';
  const sign = offset >= 0 ? '+' : '-';
  const zone = `${sign}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  return `${date}${d.layout === 'iso-offset' ? 'T' : ' '}${time}${zone}`;
}

/** The canary's number, written the way the target writes numbers. */
export function formatPhone(value: string, shape: PhoneShape): string | undefined {
  const p = parsePhone(value, shape.country);
  return p ? writePhone(p, shape) : undefined;
}

const CALLING_CODES: Record<PhoneShape['country'], string> = { SA: '966', US: '1' };

/**
 * The canary's own numbers (mobile, landline) are valid by construction and carry their E.164 form:
 * a value that is one of them needs no parsing (libphonenumber is most of a batch's shaping time).
 */
function ownNumber(value: string, country: PhoneShape['country'], ctx: ExpressionContext): { n: string; cc: string } | null {
  const cc = CALLING_CODES[country];
  for (const forms of [ctx.persona?.phone, ctx.persona?.landline]) {
    if (forms && (forms.national === value || forms.e164 === value) && forms.e164.startsWith(`+${cc}`)) return { n: forms.e164.slice(1 + cc.length), cc };
  }
  return null;
}

function parsePhone(value: string, country: PhoneShape['country']): { n: string; cc: string } | null {
  const p = parsePhoneNumberFromString(value, country);
  return p?.isValid() ? { n: p.nationalNumber, cc: p.countryCallingCode } : null;
}

function writePhone({ n, cc }: { n: string; cc: string }, shape: PhoneShape): string {
  const digits = shape.form === 'trunk' ? `0${n}` : shape.form === 'bare' ? n : shape.form === 'cc' ? `${cc}${n}` : `00${cc}${n}`;
  const slots = [...shape.mask].filter((ch) => ch === '#').length;
  if (slots !== digits.length) return parsePhoneNumberFromString(`+${cc}${n}`)!.formatNational();
  let i = 0;
  return [...shape.mask].map((ch) => (ch === '#' ? digits[i++]! : ch)).join('');
}

function fits(value: string, f: CompiledFormat): boolean {
  if (value.length !== f.slots.length) return false;
  for (let i = 0; i < value.length; i++) {
    const s = f.slots[i]!, ch = value.charCodeAt(i);
    const ok = s.kind === 'digit' ? ch >= 48 && ch <= 57 : s.kind === 'letter' ? (ch | 32) >= 97 && (ch | 32) <= 122 : value[i] === s.char;
    if (!ok) return false;
  }
  return true;
}

export function weightedIndex(weights: readonly number[], r: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = r * total;
  for (const [i, w] of weights.entries()) {
    if (x < w) return i;
    x -= w;
  }
  for (let i = weights.length - 1; i > 0; i--) if (weights[i]! > 0) return i;
  return 0;
}

/** Linear interpolation between the stored 5 % quantiles. */
export function quantileAt(q: number[], u: number): number {
  const x = u * (q.length - 1);
  const i = Math.min(q.length - 2, Math.floor(x));
  return q[i]! + (q[i + 1]! - q[i]!) * (x - i);
}

/** The identities' format drawer asks only for integers. */
function randomFrom(rnd: () => number): Random {
  return { int: (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1)) } as unknown as Random;
}
