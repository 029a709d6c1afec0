// One interface over pg, mysql2 and better-sqlite3, and one translation of their failures into
// errors that name the target and the cause.
import { AppError } from '../../errors.ts';
import type { Dialect, Statement } from './dialect.ts';

export type Row = Record<string, unknown>;

export interface SqlTx {
  query(st: Statement): Promise<Row[]>;
  run(st: Statement): Promise<number>;
  /**
   * Runs an INSERT and returns, per row, the generated key: from RETURNING on PostgreSQL (the
   * statement carries it), insertId on MySQL, lastInsertRowid on SQLite (one row per statement there).
   */
  insert(st: Statement, generatedKey?: string): Promise<Row[]>;
}

export interface SqlDriver {
  readonly dialect: Dialect;
  /** The live schema: table → its columns. */
  columns(): Promise<Map<string, Set<string>>>;
  query(st: Statement): Promise<Row[]>;
  /** One transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const UNAVAILABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'PROTOCOL_CONNECTION_LOST', 'SQLITE_CANTOPEN', 'SQLITE_BUSY']);
const AUTH = new Set(['28P01', '28000', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_TABLEACCESS_DENIED_ERROR', '42501']);
const MISSING_DB = new Set(['3D000', 'ER_BAD_DB_ERROR']);
const CONSTRAINT_MYSQL = new Set(['ER_DUP_ENTRY', 'ER_NO_REFERENCED_ROW_2', 'ER_ROW_IS_REFERENCED_2', 'ER_BAD_NULL_ERROR',
  'ER_NO_DEFAULT_FOR_FIELD', 'ER_CHECK_CONSTRAINT_VIOLATED', 'ER_DATA_TOO_LONG', 'ER_TRUNCATED_WRONG_VALUE', 'ER_WARN_DATA_OUT_OF_RANGE']);

/** A driver failure as one clear line: which target, what went wrong, what the server said. */
export function targetError(target: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; message?: string; table?: string; errors?: unknown[] };
  // Connection failures to a host with several addresses arrive as an AggregateError.
  const first = (e.errors?.[0] ?? {}) as { code?: string; message?: string };
  const code = e.code ?? first.code ?? '';
  const message = withoutValues((e.message || first.message || String(err)).split('\n')[0]!);
  // PostgreSQL's detail ("Key (national_id)=(...) already exists") carries canary values: left out.
  const say = (what: string) => `target "${target}": ${what}: ${message}`;
  if (UNAVAILABLE.has(code) || /timeout|connect/i.test(code)) return new AppError('target-unavailable', say('cannot reach the database'), 502);
  if (AUTH.has(code)) return new AppError('target-auth-failed', say('the database refused the credentials'), 502);
  if (MISSING_DB.has(code)) return new AppError('target-unavailable', say('the database does not exist'), 502);
  if (code.startsWith('23') || CONSTRAINT_MYSQL.has(code) || code.startsWith('SQLITE_CONSTRAINT')) {
    const where = e.table ? ` on table ${e.table}` : '';
    return new AppError('target-constraint', say(`a constraint refused the write${where}; nothing was written`), 502);
  }
  return new AppError('target-error', say('the database failed'), 502);
}

/** Error text reaches logs and terminals: the values a driver quotes back (a canary's) are masked. */
function withoutValues(message: string): string {
  return message.replace(/Duplicate entry '.*' for key/s, "Duplicate entry '…' for key").replace(/ value: '.*' for column/s, " value: '…' for column");
}

/** Serialises async work on one connection (better-sqlite3 has one, and transactions cannot nest). */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
