// The distinguisher panel: detectors that try to tell the canaries planted in a target from its
// real rows using only what an insider could read there. Each reports a cross-validated AUC with
// DeLong's 95 % interval and the features that give canaries away (by column name, never a value).
import { AppError } from '../../errors.ts';
import type { Db } from '../../store/db.ts';
import type { Scalar } from '../expressions.ts';
import { writtenKeys } from '../repository.ts';
import type { PlantingTarget } from '../target.ts';
import type { Row } from '../sql/driver.ts';
import type { AuditSource } from './source.ts';
import { DETECTORS, keyFeatures, recordFeatures, type AuditRecord, type ColumnInfo, type Detector, type Raw } from './features.ts';
import { aucWithCi, binner, folds, logisticScores, naiveBayesScores, type Auc } from './stats.ts';
import { parseWallTime } from '../profile/learn.ts';

export const DEFAULT_THRESHOLD = 0.65;
const PAGE = 2000;
const K = 5;

export interface DetectorResult extends Auc {
  detector: Detector | 'combined (logistic regression)';
  features: number;
  givesAway: Array<{ feature: string; auc: number }>;
  over: boolean;
}

export interface AuditReport {
  target: string;
  canaries: number;
  real: number;
  threshold: number;
  detectors: DetectorResult[];
  pass: boolean;
}

export async function auditTarget(db: Db, name: string, target: PlantingTarget | undefined, o: { threshold?: number; maxRows?: number } = {}): Promise<AuditReport> {
  if (!target) throw new AppError('unknown-target', `no target named "${name}"`, 404);
  if (!target.auditSource) throw new AppError('audit-unsupported', `target "${name}" (${target.kind ?? 'custom'}) cannot be read back for an audit`, 409);
  const source = await target.auditSource();
  const ours = writtenKeys(db, name);
  const records = await readRecords(source, ours, o.maxRows ?? 100_000);
  const canaries = records.filter((r) => r.canary).length;
  if (canaries < 10) throw new AppError('audit-too-few-canaries', `target "${name}" holds ${canaries} canaries: plant at least 10 before auditing`, 409);
  if (records.length - canaries < 30) throw new AppError('audit-too-few-rows', `target "${name}" has ${records.length - canaries} real rows near its canaries: at least 30 are needed`, 409);
  const threshold = o.threshold ?? DEFAULT_THRESHOLD;
  const detectors = runDetectors(records, source, threshold);
  return { target: name, canaries, real: records.length - canaries, threshold, detectors, pass: detectors.every((d) => !d.over) };
}

/** Tickets in key order, page by page; the real ones kept are those around the canaries, with their parent rows. */
async function readRecords(source: AuditSource, ours: Map<string, Set<string>>, maxRows: number): Promise<AuditRecord[]> {
  const t = source.tables.find((x) => x.table === source.ticketTable)!;
  const mine = ours.get(t.table) ?? new Set<string>();
  const rows: Row[] = [];
  let after: Scalar | undefined;
  while (rows.length < maxRows) {
    const page = await source.page(t.table, { after, limit: Math.min(PAGE, maxRows - rows.length) });
    rows.push(...page);
    if (page.length < PAGE) break;
    after = page.at(-1)![t.key] as Scalar;
  }
  const idx = rows.flatMap((r, i) => (mine.has(String(r[t.key])) ? [i] : []));
  if (idx.length === 0) return [];
  // Real rows from the canaries' own stretch of the table, widened until there are enough to compare with.
  const want = Math.max(4 * idx.length, 1000);
  let lo = idx[0]!, hi = idx.at(-1)!;
  while (hi - lo + 1 - idx.length < want && (lo > 0 || hi < rows.length - 1)) {
    lo = Math.max(0, lo - 50);
    hi = Math.min(rows.length - 1, hi + 50);
  }
  const window = rows.slice(lo, hi + 1);
  const joined = await withParents(source, t.table, window);
  return window.map((r, i) => ({ canary: mine.has(String(r[t.key])), key: Number.isFinite(Number(r[t.key])) ? Number(r[t.key]) : null, values: joined[i]! }));
}

async function withParents(source: AuditSource, table: string, rows: Row[]): Promise<Array<Record<string, unknown>>> {
  const out = rows.map((r) => prefixed(table, r));
  const pending: Array<{ table: string; rows: Row[]; at: number[] }> = [{ table, rows, at: rows.map((_, i) => i) }];
  for (let depth = 0; depth < 4 && pending.length; depth++) {
    const { table: child, rows: childRows, at } = pending.shift()!;
    for (const p of source.tables.find((x) => x.table === child)?.parents ?? []) {
      const values = [...new Set(childRows.map((r) => r[p.column]).filter((v) => v !== null && v !== undefined))] as Scalar[];
      const found = new Map((await source.whereIn(p.table, p.parentColumn, values)).map((r) => [String(r[p.parentColumn]), r]));
      const parents = childRows.map((r) => found.get(String(r[p.column])));
      parents.forEach((pr, i) => pr && Object.assign(out[at[i]!]!, prefixed(p.table, pr)));
      const present = parents.flatMap((pr, i) => (pr ? [{ pr, i: at[i]! }] : []));
      pending.push({ table: p.table, rows: present.map((x) => x.pr), at: present.map((x) => x.i) });
    }
  }
  return out;
}

const prefixed = (table: string, r: Row) => Object.fromEntries(Object.entries(r).map(([c, v]) => [`${table}.${c}`, v]));

function columnInfos(source: AuditSource, records: AuditRecord[]): ColumnInfo[] {
  const real = records.filter((r) => !r.canary);
  return source.tables.flatMap((t) => Object.entries(t.sources).flatMap(([column, src]) => {
    // Keys copied from a parent row, and the channel's own routing (a queue is the path being tested, not a tell), are not features.
    if (src.startsWith('ref.') || src.startsWith('routing.')) return [];
    const name = `${t.table}.${column}`;
    const values = real.map((r) => r.values[name]).filter((v) => v !== null && v !== undefined).map(String);
    if (values.length === 0) return [];
    return [{ column: name, source: src, fewValues: new Set(values).size <= 30, isDate: values.filter((v) => parseWallTime(v)).length >= values.length * 0.9 }];
  }));
}

function runDetectors(records: AuditRecord[], source: AuditSource, threshold: number): DetectorResult[] {
  const columns = columnInfos(source, records);
  const ticketDate = columns.find((c) => c.column.startsWith(`${source.ticketTable}.`) && c.isDate && /createdAt/.test(c.source))?.column;
  const keyed = keyFeatures(records, ticketDate);
  const raw = records.map((r, i) => new Map([...recordFeatures(r, columns, ticketDate), ...keyed[i]!]));
  const names = [...new Set(raw.flatMap((m) => [...m.keys()]))];
  const detectorOf = new Map(names.map((n) => [n, raw.find((m) => m.has(n))!.get(n)![0]]));
  const matrix = categorical(raw, names, records);
  const labels = records.map((r) => (r.canary ? 1 : 0));
  const fold = folds(labels, K);
  const column = (j: number) => matrix.map((row) => [row[j]!]);
  const univariate = names.map((n, j) => ({ feature: n, auc: aucWithCi(naiveBayesScores(column(j), labels, fold, K), labels).auc }));
  const results: DetectorResult[] = DETECTORS.flatMap((d) => {
    const js = names.flatMap((n, j) => (detectorOf.get(n) === d ? [j] : []));
    if (js.length === 0) return [];
    const auc = aucWithCi(naiveBayesScores(matrix.map((row) => js.map((j) => row[j]!)), labels, fold, K), labels);
    return [{ detector: d, features: js.length, ...auc, givesAway: tells(js.map((j) => univariate[j]!)), over: auc.auc > threshold }];
  });
  const combined = aucWithCi(logisticScores(matrix, labels, fold, K), labels);
  results.push({ detector: 'combined (logistic regression)', features: names.length, ...combined, givesAway: tells(univariate), over: combined.auc > threshold });
  return results;
}

const tells = (xs: Array<{ feature: string; auc: number }>) => xs.filter((x) => x.auc > 0.55).sort((a, b) => b.auc - a.auc).slice(0, 3);

/** Numbers binned by the real rows' deciles; everything else already a category. */
function categorical(raw: Array<Map<string, [Detector, Raw]>>, names: string[], records: AuditRecord[]): string[][] {
  const bins = names.map((n) => {
    const nums = raw.flatMap((m, i) => (records[i]!.canary ? [] : typeof m.get(n)?.[1] === 'number' ? [m.get(n)![1] as number] : []));
    return nums.length ? binner(nums) : null;
  });
  return raw.map((m) => names.map((n, j) => {
    const v = m.get(n)?.[1] ?? null;
    if (typeof v === 'number') return bins[j] ? bins[j]!(v) : 'n';
    return v === null ? 'none' : v;
  }));
}
