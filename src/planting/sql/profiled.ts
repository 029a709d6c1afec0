// What a learned profile changes in the SQL connector: reading a bounded sample of real rows to
// learn from, the schema fingerprint a profile is tied to, and the next free counter values a
// planting takes inside its own transaction (T100500 → T100501), so canary references run in
// the target's sequence.
import { createHash } from 'node:crypto';
import { AppError } from '../../errors.ts';
import type { Scalar } from '../expressions.ts';
import type { ProfileShaper } from '../profile/shaper.ts';
import type { ColumnSample, TargetSample } from '../profile/types.ts';
import type { SqlMapping, SqlTableMapping } from '../settings.ts';
import { counterHighStatement, existingValuesStatement, pageStatement, type Dialect } from './dialect.ts';
import type { Row, SqlDriver, SqlTx } from './driver.ts';

/** The mapped tables' live columns, sorted: a profile learned on another schema does not fit this one. */
export function schemaHash(schema: Map<string, Set<string>>, mapping: SqlMapping): string {
  const parts = mapping.tables.map((t) => `${t.table}(${[...(schema.get(t.table) ?? [])].sort().join(',')})`);
  return createHash('sha256').update(parts.join(';')).digest('hex');
}

/**
 * The newest `limit` real rows of every mapped table (rows the tracer planted left out), oldest
 * first so key sequences read in the order they were written.
 */
export async function sampleTables(
  driver: SqlDriver, mapping: SqlMapping, limit: number, exclude: Map<string, Set<string>>, onProgress?: (done: number, total: number) => void,
): Promise<TargetSample> {
  const schema = await driver.columns();
  const columns: ColumnSample[] = [];
  const rowsPerTable: Record<string, number> = {};
  for (const t of mapping.tables) {
    const cols = [...new Set([t.key, ...Object.keys(t.columns)])];
    const skip = exclude.get(t.table) ?? new Set();
    const rows = (await driver.query(pageStatement(driver.dialect, t.table, cols, t.key, { limit: limit + skip.size, newest: true })))
      .filter((r) => !skip.has(String(r[t.key])))
      .slice(0, limit)
      .reverse();
    rowsPerTable[t.table] = rows.length;
    for (const column of cols) {
      const source = t.columns[column] ?? (t.generated ? '(generated)' : '');
      columns.push({ table: t.table, column, source, isKey: column === t.key, generated: t.generated && column === t.key, values: rows.map((r) => r[column]) });
    }
    onProgress?.(Object.keys(rowsPerTable).length, mapping.tables.length);
  }
  return { schemaHash: schemaHash(schema, mapping), rowsPerTable, columns };
}

/** Gives each row the next free value of every counter column, read inside the planting's transaction. */
export async function takeCounters(tx: SqlTx, d: Dialect, t: SqlTableMapping, rows: Array<Record<string, Scalar>>, shaper: ProfileShaper): Promise<void> {
  for (const c of shaper.counters(t.table)) {
    const [high] = await tx.query(counterHighStatement(d, t.table, c.column, c.prefix));
    const digits = high ? /(\d+)$/.exec(String(high.v ?? ''))?.[1] : undefined;
    let next = digits ? Number(digits) + c.step : 10 ** (c.width - 1);
    for (const r of rows) {
      r[c.column] = `${c.prefix}${String(next).padStart(c.width, '0')}`;
      next += c.step;
    }
  }
}

/** A batch's ticket times follow the newest ticket already there (read inside the transaction), in key order. */
export async function takeArrivals(tx: SqlTx, d: Dialect, t: SqlTableMapping, rows: Array<Record<string, Scalar>>, shaper: ProfileShaper): Promise<void> {
  const column = shaper.arrivalColumn(t.table);
  if (!column) return;
  const [newest] = await tx.query(pageStatement(d, t.table, [column], t.key, { limit: 1, newest: true }));
  shaper.arrivals(t.table, rows, newest ? String(newest[column]) : null);
}

/**
 * Ids redrawn in the target's scheme (key and unique columns) must not be a real record's: refused
 * (the batch rolls back) if one is. Only values the profile actually replaced are looked up: a
 * canary's own id that already fits the scheme was checked against real records before planting.
 */
export async function refuseHeldCodes(
  tx: SqlTx, d: Dialect, target: string, t: SqlTableMapping, rows: Array<{ values: Record<string, Scalar>; redrawn: Set<string> }>, shaper: ProfileShaper,
): Promise<void> {
  for (const column of shaper.redrawnCodes(t.table).filter((c) => c === t.key || t.unique.includes(c))) {
    const values = rows.filter((r) => r.redrawn.has(column)).map((r) => r.values[column]).filter((v): v is Exclude<Scalar, null> => v !== null && v !== undefined);
    if (values.length === 0) continue;
    const held: Row[] = await tx.query(existingValuesStatement(d, t.table, column, values));
    if (held.length > 0) {
      throw new AppError('target-constraint', `target "${target}": an id drawn in the target's scheme for ${t.table}.${column} is already a real record's; nothing was written, plant again`, 409);
    }
  }
}
