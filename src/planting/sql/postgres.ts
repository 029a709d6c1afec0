import pg from 'pg';
import type { PostgresSettings } from '../settings.ts';
import type { Statement } from './dialect.ts';
import type { Row, SqlDriver, SqlTx } from './driver.ts';

// Dates and timestamps come back as the server's text, so verify compares what was written with
// what is stored, not with a Date shifted by this machine's time zone.
const AS_TEXT = new Set([1082, 1083, 1114, 1184, 1266]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    AS_TEXT.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;

  constructor(private readonly s: PostgresSettings & { secret?: string }) {
    this.pool = new pg.Pool({
      host: s.host, port: s.port, database: s.database, user: s.user, password: s.secret,
      ssl: s.ssl ? { rejectUnauthorized: true } : undefined,
      connectionTimeoutMillis: s.connectTimeoutMs, max: 4, idleTimeoutMillis: 10_000, types,
      // The mapping names tables unqualified; the schema is a checked identifier.
      options: `-c search_path=${s.schema}`,
    });
    // An idle client losing its server must not crash the tracer; the next query reports it.
    this.pool.on('error', () => {});
  }

  async columns(): Promise<Map<string, Set<string>>> {
    const rows = await this.query({
      sql: 'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1',
      params: [this.s.schema],
    });
    const out = new Map<string, Set<string>>();
    for (const r of rows) {
      const t = String(r.table_name);
      if (!out.has(t)) out.set(t, new Set());
      out.get(t)!.add(String(r.column_name));
    }
    return out;
  }

  async query(st: Statement): Promise<Row[]> {
    return (await this.pool.query({ text: st.sql, values: st.params })).rows;
  }

  async transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: SqlTx = {
      query: async (st) => (await client.query({ text: st.sql, values: st.params })).rows,
      run: async (st) => (await client.query({ text: st.sql, values: st.params })).rowCount ?? 0,
      insert: async (st) => (await client.query({ text: st.sql, values: st.params })).rows,
    };
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
