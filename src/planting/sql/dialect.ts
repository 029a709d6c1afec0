// Statement text for the three dialects. Identifiers come only from a mapping already checked
// against the live schema, and are quoted by the dialect's rules; every value is a placeholder.
import type { Scalar } from '../expressions.ts';

export type Dialect = 'postgres' | 'mysql' | 'sqlite';

export interface Statement {
  sql: string;
  /** Scalars, and on PostgreSQL one array for `= ANY($1)`. */
  params: unknown[];
}

export function quoteIdent(d: Dialect, ident: string): string {
  return d === 'mysql' ? `\`${ident.replaceAll('`', '``')}\`` : `"${ident.replaceAll('"', '""')}"`;
}

/** Placeholder generator: $1, $2... on PostgreSQL, ? elsewhere. */
function placeholders(d: Dialect) {
  let n = 0;
  return () => (d === 'postgres' ? `$${++n}` : '?');
}

/** Batches repeat the same statement shape (500 rows of the same columns): its text is built once. */
const insertSql = new Map<string, string>();

export function insertStatement(d: Dialect, table: string, columns: string[], rows: Scalar[][], returning: string[] = []): Statement {
  const shape = JSON.stringify([d, table, columns, rows.map((r) => r.length), returning]);
  let sql = insertSql.get(shape);
  if (sql === undefined) {
    const q = (s: string) => quoteIdent(d, s);
    const next = placeholders(d);
    const values = rows.map((r) => `(${r.map(() => next()).join(', ')})`).join(', ');
    const ret = returning.length && d === 'postgres' ? ` RETURNING ${returning.map(q).join(', ')}` : '';
    sql = `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ${values}${ret}`;
    if (insertSql.size >= 256) insertSql.clear();
    insertSql.set(shape, sql);
  }
  return { sql, params: rows.flat().map(bindable(d)) };
}

export function selectByKeyStatement(d: Dialect, table: string, columns: string[], key: string, value: Scalar): Statement {
  const q = (s: string) => quoteIdent(d, s);
  return { sql: `SELECT ${columns.map(q).join(', ')} FROM ${q(table)} WHERE ${q(key)} = ${placeholders(d)()}`, params: [bindable(d)(value)] };
}

/** Rows whose columns equal all the given values (reconcile's look-up). */
export function selectWhereStatement(d: Dialect, table: string, columns: string[], where: Record<string, Scalar>, limit = 2): Statement {
  const q = (s: string) => quoteIdent(d, s);
  const next = placeholders(d);
  const cond = Object.keys(where).map((c) => `${q(c)} = ${next()}`).join(' AND ');
  return { sql: `SELECT ${columns.map(q).join(', ')} FROM ${q(table)} WHERE ${cond} LIMIT ${limit}`, params: Object.values(where).map(bindable(d)) };
}

/** Which of these values a column already holds (collision checks for a whole batch). */
export function existingValuesStatement(d: Dialect, table: string, column: string, values: Scalar[]): Statement {
  const q = (s: string) => quoteIdent(d, s);
  if (d === 'postgres') {
    return { sql: `SELECT DISTINCT ${q(column)} AS v FROM ${q(table)} WHERE ${q(column)} = ANY($1)`, params: [values] };
  }
  const next = placeholders(d);
  return { sql: `SELECT DISTINCT ${q(column)} AS v FROM ${q(table)} WHERE ${q(column)} IN (${values.map(() => next()).join(', ')})`, params: values.map(bindable(d)) };
}

export function deleteByKeyStatement(d: Dialect, table: string, key: string, value: Scalar): Statement {
  return { sql: `DELETE FROM ${quoteIdent(d, table)} WHERE ${quoteIdent(d, key)} = ${placeholders(d)()}`, params: [bindable(d)(value)] };
}

export function updateByKeyStatement(d: Dialect, table: string, set: Record<string, Scalar>, key: string, value: Scalar): Statement {
  const q = (s: string) => quoteIdent(d, s);
  const next = placeholders(d);
  const assignments = Object.keys(set).map((c) => `${q(c)} = ${next()}`).join(', ');
  return {
    sql: `UPDATE ${q(table)} SET ${assignments} WHERE ${q(key)} = ${next()}`,
    params: [...Object.values(set), value].map(bindable(d)),
  };
}

/** SQLite has no boolean type and better-sqlite3 refuses JS booleans. */
const bindable = (d: Dialect) => (v: Scalar): Scalar => (d === 'sqlite' && typeof v === 'boolean' ? (v ? 1 : 0) : v);

/** A bounded page of a table in key order: the newest `limit` rows (desc), or the next page after a key (asc). */
export function pageStatement(d: Dialect, table: string, columns: string[], key: string, o: { limit: number; after?: Scalar; newest?: boolean }): Statement {
  const q = (s: string) => quoteIdent(d, s);
  const limit = Math.max(1, Math.floor(o.limit));
  const where = o.after === undefined ? '' : ` WHERE ${q(key)} > ${placeholders(d)()}`;
  return {
    sql: `SELECT ${columns.map(q).join(', ')} FROM ${q(table)}${where} ORDER BY ${q(key)} ${o.newest ? 'DESC' : 'ASC'} LIMIT ${limit}`,
    params: o.after === undefined ? [] : [bindable(d)(o.after)],
  };
}

/** The highest counter a column holds among values that start with the prefix (T100500 → T100501 next). */
export function counterHighStatement(d: Dialect, table: string, column: string, prefix: string): Statement {
  const text = `CAST(${quoteIdent(d, column)} AS ${d === 'mysql' ? 'CHAR' : 'TEXT'})`;
  const where = prefix ? ` WHERE substr(${text}, 1, ${prefix.length}) = ${placeholders(d)()}` : '';
  return {
    sql: `SELECT ${text} AS v FROM ${quoteIdent(d, table)}${where} ORDER BY length(${text}) DESC, ${text} DESC LIMIT 1`,
    params: prefix ? [prefix] : [],
  };
}

/** Rows whose column holds one of the values (the parents of a page of rows). */
export function selectInStatement(d: Dialect, table: string, columns: string[], column: string, values: Scalar[]): Statement {
  const q = (s: string) => quoteIdent(d, s);
  if (d === 'postgres') return { sql: `SELECT ${columns.map(q).join(', ')} FROM ${q(table)} WHERE ${q(column)} = ANY($1)`, params: [values] };
  const next = placeholders(d);
  return { sql: `SELECT ${columns.map(q).join(', ')} FROM ${q(table)} WHERE ${q(column)} IN (${values.map(() => next()).join(', ')})`, params: values.map(bindable(d)) };
}
