// Turning a planting into rows: each mapped table in order, values from the mapping's
// expressions, keys the database generates passed on to later tables (ref.<table>.<column>).
// The same code writes (a real transaction) and plans (a recording one, for dry runs).
import { compileExpression, type Expression, type ExpressionContext, type Scalar } from '../expressions.ts';
import type { PlantingDetails } from '../target.ts';
import type { SqlMapping, SqlTableMapping } from '../settings.ts';
import { insertStatement, type Dialect, type Statement } from './dialect.ts';
import type { Row, SqlTx } from './driver.ts';
import type { ProfileShaper } from '../profile/shaper.ts';
import { refuseHeldCodes, takeArrivals, takeCounters } from './profiled.ts';

/** One row a planting wrote (or reused from a sibling planting of the same canary). */
export interface WrittenRow {
  table: string;
  key: Scalar;
  values: Record<string, Scalar>;
  /** false when the row was written by another planting of the same canary and only reused. */
  inserted: boolean;
}

export const rowsOf = (details: PlantingDetails | undefined): WrittenRow[] | undefined =>
  Array.isArray(details?.rows) ? (details.rows as WrittenRow[]) : undefined;

export const rowId = (r: Pick<WrittenRow, 'table' | 'key'>) => `${r.table}\u0000${String(r.key)}`;

const SQL_ROOTS = { roots: ['persona', 'ticket', 'variant', 'channel', 'routing', 'ref'] };
/** PostgreSQL allows 65,535 parameters per statement; batches stay well under. */
const MAX_PARAMS = 30_000;

export class RowWriter {
  readonly compiled: Map<string, Map<string, Expression>>;
  /** Each column's expression with the label its errors carry, built once (a batch renders thousands of cells). */
  private readonly cells: Map<string, Array<{ col: string; ex: Expression; where: string; ref: boolean }>>;
  /** The target's learned shape, when it has one: every rendered value passes through it. */
  shaper: ProfileShaper | null = null;

  constructor(private readonly target: string, private readonly dialect: Dialect, private readonly mapping: SqlMapping) {
    this.compiled = new Map(
      mapping.tables.map((t) => [t.table, new Map(Object.entries(t.columns).map(([c, e]) => [c, compileExpression(e, SQL_ROOTS)]))]),
    );
    this.cells = new Map([...this.compiled].map(([table, cols]) => [table,
      [...cols].map(([col, ex]) => ({ col, ex, where: `target "${target}" ${table}.${col}`, ref: ex.roots.has('ref') }))]));
  }

  render(t: SqlTableMapping, ctx: ExpressionContext): Record<string, Scalar> {
    return this.renderRefs(t, ctx, this.renderOwn(t, ctx).values);
  }

  /**
   * The columns drawn from the canary itself (and shaped to the profile): they need no key of an
   * earlier table. redrawn: the columns whose value the profile replaced (not the canary's own).
   */
  private renderOwn(t: SqlTableMapping, ctx: ExpressionContext): { values: Record<string, Scalar>; redrawn: Set<string> } {
    const values: Record<string, Scalar> = {};
    const redrawn = new Set<string>();
    for (const { col, ex, where, ref } of this.cells.get(t.table)!) {
      if (ref) continue;
      const value = ex.evaluate(ctx, where);
      values[col] = this.shaper ? this.shaper.shape(t.table, col, value, ctx) : value;
      if (values[col] !== value) redrawn.add(col);
    }
    return { values, redrawn };
  }

  /** The columns copied from rows written before (ref.<table>.<column>), once those rows have their keys. */
  private renderRefs(t: SqlTableMapping, ctx: ExpressionContext, own: Record<string, Scalar>): Record<string, Scalar> {
    const out: Record<string, Scalar> = {};
    for (const { col, ex, where, ref } of this.cells.get(t.table)!) out[col] = ref ? ex.evaluate(ctx, where) : own[col]!;
    return out;
  }

  /**
   * Writes every table for every request (one canary each) inside tx; returns each request's rows.
   * While one table's INSERT is with the database, the next table's own columns are drawn, so the
   * shaping costs the batch little wall time.
   */
  async write(tx: SqlTx, requests: Array<{ ctx: ExpressionContext; siblings?: PlantingDetails[] }>): Promise<WrittenRow[][]> {
    const written: WrittenRow[][] = requests.map(() => []);
    const tables = this.mapping.tables;
    const prepare = (t: SqlTableMapping) => requests.flatMap((r, i) => {
      const reused = t.perCanary ? r.siblings?.flatMap((d) => rowsOf(d) ?? []).find((w) => w.table === t.table) : undefined;
      return [{ i, reused, own: reused ? undefined : this.renderOwn(t, r.ctx) }];
    });
    let next = tables.length ? prepare(tables[0]!) : [];
    for (const [k, t] of tables.entries()) {
      const prepared = next;
      const remaining: Array<{ i: number; values: Record<string, Scalar>; redrawn: Set<string> }> = [];
      for (const { i, reused, own } of prepared) {
        if (reused) {
          written[i]!.push({ ...reused, inserted: false });
          setRef(requests[i]!.ctx, t, reused.values, reused.key);
        } else {
          remaining.push({ i, values: this.renderRefs(t, requests[i]!.ctx, own!.values), redrawn: own!.redrawn });
        }
      }
      if (this.shaper && remaining.length) {
        await takeCounters(tx, this.dialect, t, remaining.map((x) => x.values), this.shaper);
        await takeArrivals(tx, this.dialect, t, remaining.map((x) => x.values), this.shaper);
        await refuseHeldCodes(tx, this.dialect, this.target, t, remaining, this.shaper);
      }
      const inserting = this.insert(tx, t, remaining.map((x) => x.values));
      // Caught here so a failed INSERT is not an unhandled rejection while the next table is drawn; rethrown by the await below.
      inserting.catch(() => {});
      next = k + 1 < tables.length ? prepare(tables[k + 1]!) : [];
      const keys = await inserting;
      remaining.forEach(({ i, values }, j) => {
        written[i]!.push({ table: t.table, key: keys[j]!, values, inserted: true });
        setRef(requests[i]!.ctx, t, values, keys[j]!);
      });
    }
    return written;
  }

  /** Multi-row INSERT ... RETURNING on PostgreSQL; one row per statement where keys come back per statement. */
  private async insert(tx: SqlTx, t: SqlTableMapping, rows: Array<Record<string, Scalar>>): Promise<Scalar[]> {
    if (rows.length === 0) return [];
    const cols = Object.keys(t.columns);
    const matrix = rows.map((v) => cols.map((c) => v[c] ?? null));
    const keyOf = (r: Row) => r[t.key] as Scalar;
    if (this.dialect !== 'postgres') {
      const keys: Scalar[] = [];
      for (const [i, r] of matrix.entries()) {
        const ret = await tx.insert(insertStatement(this.dialect, t.table, cols, [r]), t.generated ? t.key : undefined);
        keys.push(t.generated ? keyOf(ret[0]!) : rows[i]![t.key]!);
      }
      return keys;
    }
    const keys: Scalar[] = [];
    const per = Math.max(1, Math.min(1000, Math.floor(MAX_PARAMS / cols.length)));
    const returning = t.generated ? [t.key, ...(t.lookup ?? [])] : [];
    for (let at = 0; at < matrix.length; at += per) {
      const chunk = rows.slice(at, at + per);
      const ret = await tx.insert(insertStatement(this.dialect, t.table, cols, matrix.slice(at, at + per), returning), t.key);
      keys.push(...(t.generated ? correlate(t, chunk, ret) : chunk.map((v) => v[t.key]!)));
    }
    return keys;
  }
}

function setRef(ctx: ExpressionContext, t: SqlTableMapping, values: Record<string, Scalar>, key: Scalar): void {
  ctx.ref = { ...ctx.ref, [t.table]: { ...values, [t.key]: key } };
}

/**
 * PostgreSQL returns the rows of a multi-row INSERT in VALUES order in practice, but does not
 * promise it. When the table has look-up columns, that order is confirmed row by row; failing
 * that, keys are matched by look-up values, which must then be unique in the statement. A key is
 * never guessed: an unmatched row rolls the whole batch back.
 */
function correlate(t: SqlTableMapping, rows: Array<Record<string, Scalar>>, returned: Row[]): Scalar[] {
  if (returned.length !== rows.length) throw new Error(`${t.table}: ${returned.length} keys returned for ${rows.length} rows`);
  const keys = returned.map((r) => r[t.key] as Scalar);
  const lookup = t.lookup ?? [];
  if (lookup.length === 0 || !lookup.every((c) => c in returned[0]!)) return keys;
  const sig = (r: Record<string, unknown>) => JSON.stringify(lookup.map((c) => (r[c] === null || r[c] === undefined ? null : String(r[c]))));
  if (rows.every((r, i) => sig(r) === sig(returned[i]!))) return keys;
  const byLookup = new Map<string, Scalar>();
  for (const r of returned) {
    if (byLookup.has(sig(r))) throw new Error(`${t.table}: rows returned out of order and their look-up values repeat; nothing was kept`);
    byLookup.set(sig(r), r[t.key] as Scalar);
  }
  return rows.map((r) => {
    const key = byLookup.get(sig(r));
    if (key === undefined) throw new Error(`${t.table}: could not match a returned key to its row`);
    return key;
  });
}

/** A transaction that runs nothing: it records statements and hands back placeholder keys. */
export class RecordingTx implements SqlTx {
  readonly statements: Statement[] = [];

  async query(st: Statement): Promise<Row[]> {
    this.statements.push(st);
    return [];
  }

  async run(st: Statement): Promise<number> {
    this.statements.push(st);
    return 0;
  }

  async insert(st: Statement, generatedKey?: string): Promise<Row[]> {
    this.statements.push(st);
    const table = /^INSERT INTO (\S+)/.exec(st.sql)?.[1]?.replace(/["`]/g, '') ?? '?';
    const rows = Math.max(1, (st.sql.match(/\), \(/g)?.length ?? 0) + 1);
    return Array.from({ length: rows }, () => (generatedKey ? { [generatedKey]: `<generated ${table}.${generatedKey}>` } : {}));
  }
}
