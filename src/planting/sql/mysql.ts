import mysql from 'mysql2/promise';
import type { MysqlSettings } from '../settings.ts';
import type { Statement } from './dialect.ts';
import type { Row, SqlDriver, SqlTx } from './driver.ts';

// execute() uses server-side prepared statements: values travel as bound parameters, never
// interpolated into the statement text (query() would escape them client-side instead).
export class MysqlDriver implements SqlDriver {
  readonly dialect = 'mysql' as const;
  private readonly pool: mysql.Pool;

  constructor(s: MysqlSettings & { secret?: string }) {
    this.pool = mysql.createPool({
      host: s.host, port: s.port, database: s.database, user: s.user, password: s.secret ?? '',
      connectTimeout: s.connectTimeoutMs, connectionLimit: 4, dateStrings: true, supportBigNumbers: true,
      bigNumberStrings: true, charset: 'utf8mb4', timezone: 'Z',
    });
  }

  async columns(): Promise<Map<string, Set<string>>> {
    const rows = await this.query({
      sql: 'SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()',
      params: [],
    });
    const out = new Map<string, Set<string>>();
    for (const r of rows) {
      const t = String(r.t);
      if (!out.has(t)) out.set(t, new Set());
      out.get(t)!.add(String(r.c));
    }
    return out;
  }

  async query(st: Statement): Promise<Row[]> {
    const [rows] = await this.pool.execute(st.sql, st.params as never[]);
    return rows as Row[];
  }

  async transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    const conn = await this.pool.getConnection();
    const exec = async (st: Statement) => (await conn.execute(st.sql, st.params as never[]))[0];
    const tx: SqlTx = {
      query: async (st) => (await exec(st)) as Row[],
      run: async (st) => ((await exec(st)) as mysql.ResultSetHeader).affectedRows,
      insert: async (st, key) => {
        const header = (await exec(st)) as mysql.ResultSetHeader;
        return key ? [{ [key]: header.insertId }] : [{}];
      },
    };
    try {
      await conn.beginTransaction();
      const result = await fn(tx);
      await conn.commit();
      return result;
    } catch (err) {
      await conn.rollback().catch(() => {});
      throw err;
    } finally {
      conn.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
