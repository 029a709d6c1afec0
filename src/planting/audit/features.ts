// What an insider could look at to tell a canary from a real record, turned into features: per
// column the format and length, the value's distribution, date patterns, text features, name and
// address frequencies, how columns agree with each other, and where the key sits among its
// neighbours. Features carry column names and derived classes only; the panel never prints a value.
import { parseWallTime, wallInstant } from '../profile/learn.ts';

export const DETECTORS = ['format', 'values', 'dates', 'keys', 'text', 'names', 'cross-column'] as const;
export type Detector = (typeof DETECTORS)[number];

/** One record as an insider sees it: the ticket row with its parent rows, column by column. */
export interface AuditRecord {
  canary: boolean;
  key: number | null;
  values: Record<string, unknown>;
}

export type Raw = string | number | null;
export interface Feature {
  detector: Detector;
  name: string;
}

const DAY_MS = 86_400_000;

export const mask = (s: string) => s.replace(/\p{L}+/gu, 'A').replace(/\d/g, '#').slice(0, 40);

const phoneDigits = (s: string) => s.replace(/\D/g, '').replace(/^(00)?966|^0|^1(?=\d{10}$)/, '');

export interface ColumnInfo {
  column: string;
  source: string;
  fewValues: boolean;
  isDate: boolean;
}

/** Per-record raw features (numbers are binned later, against the real rows only). */
export function recordFeatures(r: AuditRecord, columns: ColumnInfo[], ticketDate: string | undefined): Map<string, [Detector, Raw]> {
  const f = new Map<string, [Detector, Raw]>();
  const put = (d: Detector, name: string, v: Raw) => f.set(name, [d, v]);
  const anchor = ticketDate ? wallInstant(String(r.values[ticketDate] ?? '')) : null;
  for (const c of columns) {
    const raw = r.values[c.column];
    const s = raw === null || raw === undefined ? null : String(raw);
    put('format', `${c.column}: format`, s === null ? 'null' : mask(s));
    put('format', `${c.column}: length`, s === null ? null : s.length);
    if (s === null) continue;
    if (c.fewValues) put('values', `${c.column}: value`, s);
    if (/phone|landline|mobile/i.test(c.source)) put('values', `${c.column}: prefix`, phoneDigits(s).slice(0, 2));
    else if (!c.isDate && !c.fewValues && /^[\p{L}\p{N}-]{1,32}$/u.test(s)) put('values', `${c.column}: leading characters`, s.slice(0, 2));
    if (c.isDate) {
      const w = parseWallTime(s);
      if (w?.sep) put('dates', `${c.column}: hour of day`, String(w.h));
      if (w) put('dates', `${c.column}: weekday`, String(new Date(Date.UTC(w.y, w.mo - 1, w.d)).getUTCDay()));
      const at = wallInstant(s);
      if (at !== null && anchor !== null && c.column !== ticketDate) put('dates', `${c.column}: age at complaint (days)`, (anchor - at) / DAY_MS);
    }
    if (/description/.test(c.source)) {
      const words = s.split(/\s+/).filter(Boolean);
      put('text', `${c.column}: length`, s.length);
      put('text', `${c.column}: words`, words.length);
      put('text', `${c.column}: opening words`, words.slice(0, 2).join(' '));
      const category = columns.find((x) => /ticket\.category/.test(x.source));
      if (category) put('text', `${c.column}: opening per ${category.column}`, `${words[0]}|${String(r.values[category.column])}`);
    }
    if (/fullName\b/.test(c.source)) {
      const parts = s.split(/\s+/);
      put('names', `${c.column}: first name`, parts[0] ?? '');
      put('names', `${c.column}: family name`, parts.at(-1) ?? '');
      put('names', `${c.column}: parts`, String(parts.length));
    }
    if (/address\.(street|district|city)/.test(c.source)) put('names', `${c.column}: frequency`, s);
  }
  crossColumn(r, columns, put);
  return f;
}

function crossColumn(r: AuditRecord, columns: ColumnInfo[], put: (d: Detector, name: string, v: Raw) => void): void {
  const bySource = (re: RegExp) => columns.filter((c) => re.test(c.source));
  const val = (c: ColumnInfo | undefined) => (c ? r.values[c.column] : undefined);
  const city = bySource(/address\.city/)[0];
  const postal = bySource(/postalCode|zip/)[0];
  if (city && postal) put('cross-column', `${city.column} vs ${postal.column}`, `${String(val(city))}|${String(val(postal) ?? '').slice(0, 3)}`);
  const landline = bySource(/landline/)[0];
  if (city && landline && val(landline)) put('cross-column', `${city.column} vs ${landline.column} area`, `${String(val(city))}|${phoneDigits(String(val(landline))).slice(0, 2)}`);
  for (const re of [/fullName\b/, /phone\.|mobile/]) {
    const same = bySource(re);
    if (same.length >= 2) {
      const norm = (v: unknown) => String(v ?? '').replace(/\D/g, '') || String(v ?? '');
      put('cross-column', `${same.map((c) => c.column).join(' = ')}`, same.every((c) => norm(val(c)) === norm(val(same[0]))) ? 'same' : 'differ');
    }
  }
  const dates = columns.filter((c) => c.isDate);
  for (let i = 0; i < dates.length; i++) {
    for (let j = i + 1; j < dates.length; j++) {
      const a = String(val(dates[i]) ?? '').slice(0, 10), b = String(val(dates[j]) ?? '').slice(0, 10);
      put('cross-column', `${dates[i]!.column} vs ${dates[j]!.column} day`, !a || !b ? 'none' : a === b ? 'same' : a < b ? 'before' : 'after');
    }
  }
}

/**
 * Where each record's key sits: the gap to the keys before and after it, and how far its time is
 * from its key neighbours' (a block of tickets whose keys follow each other but whose times do
 * not is a tell). Records must be sorted by key.
 */
export function keyFeatures(records: AuditRecord[], ticketDate: string | undefined): Array<Map<string, [Detector, Raw]>> {
  const times = records.map((r) => (ticketDate ? wallInstant(String(r.values[ticketDate] ?? '')) : null));
  return records.map((r, i) => {
    const f = new Map<string, [Detector, Raw]>();
    const prev = records[i - 1]?.key, next = records[i + 1]?.key;
    f.set('ticket key: gap to previous', ['keys', r.key !== null && prev != null ? r.key - prev : null]);
    f.set('ticket key: gap to next', ['keys', r.key !== null && next != null ? next - r.key : null]);
    const around = [...times.slice(Math.max(0, i - 5), i), ...times.slice(i + 1, i + 6)].filter((t): t is number => t !== null).sort((a, b) => a - b);
    const me = times[i];
    f.set('ticket time vs key neighbours (h)', ['keys', me == null || around.length === 0 ? null : Math.abs(me - around[Math.floor(around.length / 2)]!) / 3600_000]);
    f.set('ticket time order vs key order', ['keys', me == null || times[i - 1] == null ? null : me >= times[i - 1]! ? 'later' : 'earlier']);
    return f;
  });
}
