// Fresh databases on the real PostgreSQL and MariaDB this machine runs (.ci/run starts them): one
// per test, random name, the utility schema for that dialect, ordinary customers in it; dropped after.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { Locale } from '../../src/identities/types.ts';
import type { Statement } from '../../src/planting/sql/dialect.ts';
import type { Row, SqlDriver } from '../../src/planting/sql/driver.ts';
import { PostgresDriver } from '../../src/planting/sql/postgres.ts';
import { MysqlDriver } from '../../src/planting/sql/mysql.ts';
import { fillUtilityDatabase } from '../../src/utility-sample/fill.ts';
import { utilityMappingJson } from '../../src/utility-sample/mapping.ts';
import { UTILITY_SCHEMA_MYSQL, UTILITY_SCHEMA_POSTGRES } from '../../src/utility-sample/schema.ts';

export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root' };

export type Dialect = 'postgres' | 'mysql';

export interface FreshDb {
  dialect: Dialect;
  name: string;
  /** The target's entry for a targets file, with the utility mapping for this dialect. */
  target(name: string, overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Reads and writes as the utility's own staff would (not through the tracer). */
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  count(table: string): Promise<number>;
  drop(): Promise<void>;
}

const randomName = () => `ct_${randomBytes(6).toString('hex')}`;

/** Timestamps per dialect: TIMESTAMPTZ keeps the zone; MySQL DATETIME takes local wall time. */
export const mappingFor = (dialect: Dialect) => utilityMappingJson({ timestamps: dialect === 'mysql' ? 'local-datetime' : 'iso' });

export async function freshDatabase(dialect: Dialect, o: { customers?: number; locale?: Locale } = {}): Promise<FreshDb> {
  return dialect === 'postgres' ? freshPostgres(o) : freshMariaDb(o);
}

export async function freshPostgres(o: { customers?: number; locale?: Locale } = {}): Promise<FreshDb> {
  const name = randomName();
  const admin = new pg.Client({ ...PG, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const settings = { ...PG, database: name, schema: 'public', ssl: false, connectTimeoutMs: 5000 };
  const driver = new PostgresDriver(settings as ConstructorParameters<typeof PostgresDriver>[0]);
  for (const sql of UTILITY_SCHEMA_POSTGRES) await driver.query({ sql, params: [] });
  await fillUtilityDatabase(driver, o.customers ?? 24, o.locale ?? 'ar-SA', { seed: 7 });
  return handle('postgres', name, driver, { kind: 'postgres', ...PG, database: name }, async () => {
    await driver.close();
    const c = new pg.Client({ ...PG, database: 'postgres' });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
}

export async function freshMariaDb(o: { customers?: number; locale?: Locale } = {}): Promise<FreshDb> {
  const name = randomName();
  const admin = await mysql.createConnection({ ...MARIADB });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const settings = { ...MARIADB, database: name, connectTimeoutMs: 5000 };
  const driver = new MysqlDriver(settings as ConstructorParameters<typeof MysqlDriver>[0]);
  const ddl = await mysql.createConnection({ ...MARIADB, database: name });
  for (const sql of UTILITY_SCHEMA_MYSQL) await ddl.query(sql);
  await ddl.end();
  await fillUtilityDatabase(driver, o.customers ?? 24, o.locale ?? 'ar-SA', { seed: 7, timestamps: 'local-datetime' });
  return handle('mysql', name, driver, { kind: 'mysql', ...MARIADB, database: name }, async () => {
    await driver.close();
    const c = await mysql.createConnection({ ...MARIADB });
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
    await c.end();
  });
}

function handle(dialect: Dialect, name: string, driver: SqlDriver, connection: Record<string, unknown>, drop: () => Promise<void>): FreshDb {
  const query = (sql: string, params: unknown[] = []) => driver.query({ sql, params } as Statement);
  return {
    dialect,
    name,
    target: (targetName, overrides = {}) => ({ name: targetName, ...connection, mapping: mappingFor(dialect), ...overrides }),
    query,
    async count(table) {
      const [row] = await query(`SELECT count(*) AS n FROM ${table}`);
      return Number(row!.n);
    },
    drop,
  };
}

/** Writes a targets file into dir and returns its path (for TARGETS_FILE). */
export function writeTargetsFile(dir: string, targets: unknown[]): string {
  const file = path.join(dir, 'targets.json');
  fs.writeFileSync(file, JSON.stringify({ targets }, null, 2));
  return file;
}

/** The dialect's placeholder for parameter n (1-based), for assertions that read as the staff would. */
export const ph = (dialect: Dialect, n: number) => (dialect === 'postgres' ? `$${n}` : '?');
