// A configured target's settings → its connector. Nothing connects here: SQL targets connect and
// check their mapping against the live schema on first use (or `tracer plantings targets --check`).
import type { ResolvedTarget } from './settings.ts';
import type { PlantingTarget } from './target.ts';
import { SqlTarget } from './sql/target.ts';
import { PostgresDriver } from './sql/postgres.ts';
import { MysqlDriver } from './sql/mysql.ts';
import { SqliteDriver } from './sql/sqlite.ts';
import { HttpTarget } from './http/target.ts';
import { CsvTarget } from './csv/target.ts';
import { IntakeCallTarget } from './intake/target.ts';

export function createTarget(s: ResolvedTarget, deps: { clock: () => Date }): PlantingTarget {
  switch (s.kind) {
    case 'postgres':
      return new SqlTarget(s.name, new PostgresDriver(s), s.mapping, { clock: deps.clock });
    case 'mysql':
      return new SqlTarget(s.name, new MysqlDriver(s), s.mapping, { clock: deps.clock });
    case 'sqlite':
      return new SqlTarget(s.name, new LazySqlite(s.file), s.mapping, { clock: deps.clock });
    case 'http':
      return new HttpTarget(s, deps.clock);
    case 'csv':
      return new CsvTarget(s, deps.clock);
    case 'intake-call':
      return new IntakeCallTarget(s);
  }
}

/** Opens the SQLite file on first use, so a missing file is reported as the target being unavailable. */
class LazySqlite {
  readonly dialect = 'sqlite' as const;
  private driver: SqliteDriver | null = null;

  constructor(private readonly file: string) {}

  private get d(): SqliteDriver {
    this.driver ??= SqliteDriver.open(this.file);
    return this.driver;
  }

  columns: SqliteDriver['columns'] = () => this.d.columns();
  query: SqliteDriver['query'] = (st) => this.d.query(st);
  transaction: SqliteDriver['transaction'] = (fn) => this.d.transaction(fn);
  close = async () => this.driver?.close();
}
