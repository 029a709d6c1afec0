import Database from 'better-sqlite3';
import type { Statement } from './dialect.ts';
import { Mutex, type Row, type SqlDriver, type SqlTx } from './driver.ts';

/**
 * better-sqlite3 behind the async driver interface. The connection is shared (the sample target
 * also fills it), so transactions are serialised: two plantings never interleave BEGINs.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly lock = new Mutex();

  constructor(private readonly db: Database.Database, private readonly owned = false) {}

  static open(file: string): SqliteDriver {
    const db = new Database(file, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    return new SqliteDriver(db, true);
  }

  async columns(): Promise<Map<string, Set<string>>> {
    const tables = this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
    const cols = this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck();
    return new Map(tables.map((t) => [t, new Set(cols.all(t) as string[])]));
  }

  async query(st: Statement): Promise<Row[]> {
    return this.db.prepare(st.sql).all(...(st.params as never[])) as Row[];
  }

  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    const tx: SqlTx = {
      query: async (st) => this.db.prepare(st.sql).all(...(st.params as never[])) as Row[],
      run: async (st) => this.db.prepare(st.sql).run(...(st.params as never[])).changes,
      insert: async (st, key) => {
        const info = this.db.prepare(st.sql).run(...(st.params as never[]));
        return key ? [{ [key]: Number(info.lastInsertRowid) }] : [{}];
      },
    };
    return this.lock.run(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    if (this.owned) this.db.close();
  }
}
