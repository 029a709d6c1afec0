// `npm run bench`, section stealth: learning a PostgreSQL target of BENCH_STEALTH_ROWS (default
// 100,000) real tickets, auditing canaries among them, and planting throughput of the SQL
// connector drawing canaries to the learned profile, beside a raw multi-row INSERT of exactly the
// rows it wrote (into an empty copy of the schema), in the same run. Alone: BENCH_ONLY=stealth.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { createIdentityGenerator } from '../../src/identities/index.ts';
import { auditTarget } from '../../src/planting/audit/panel.ts';
import { PostgresDriver } from '../../src/planting/sql/postgres.ts';
import { insertStatement } from '../../src/planting/sql/dialect.ts';
import { rowsOf, type WrittenRow } from '../../src/planting/sql/rows.ts';
import type { PlantingRequest } from '../../src/planting/target.ts';
import type { Scalar } from '../../src/planting/expressions.ts';
import { fillUtilityDatabase } from '../../src/utility-sample/fill.ts';
import { utilityMappingJson } from '../../src/utility-sample/mapping.ts';
import { UTILITY_SCHEMA_POSTGRES } from '../../src/utility-sample/schema.ts';

const ROWS = Number(process.env.BENCH_STEALTH_ROWS ?? 100_000);
const CANARIES = Number(process.env.BENCH_STEALTH_CANARIES ?? 5000);
const PG_CONN = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGUSER ?? 'postgres' };
const TABLES = ['customers', 'premises', 'accounts', 'meters', 'service_tickets'];

async function admin(sql: string) {
  const c = new pg.Client({ ...PG_CONN, database: 'postgres' });
  await c.connect();
  await c.query(sql);
  await c.end();
}

const driverFor = (database: string) => new PostgresDriver({ ...PG_CONN, database, schema: 'public', ssl: false, connectTimeoutMs: 5000 } as never);

async function seconds<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await fn();
  return [out, (performance.now() - t) / 1000];
}

export async function stealthBench(): Promise<void> {
  const [real, raw] = [`ct_bench_${randomBytes(4).toString('hex')}`, `ct_bench_${randomBytes(4).toString('hex')}`];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracer-bench-stealth-'));
  console.log(`\nStealth (fresh PostgreSQL databases ${real}, ${raw}): learn and audit over ${ROWS} real tickets; planting in the learned shape vs raw INSERT`);
  await admin(`CREATE DATABASE ${real}`);
  await admin(`CREATE DATABASE ${raw}`);
  const seed = driverFor(real), rawDb = driverFor(raw);
  try {
    for (const sql of UTILITY_SCHEMA_POSTGRES) {
      await seed.query({ sql, params: [] });
      await rawDb.query({ sql, params: [] });
    }
    const [, fillS] = await seconds(() => fillUtilityDatabase(seed, ROWS, 'ar-SA', { seed: 3 }));
    console.log(`${'filled real rows'.padEnd(44)} ${String(ROWS).padStart(7)} in ${fillS.toFixed(1).padStart(6)} s`);
    const targetsFile = path.join(dir, 'targets.json');
    fs.writeFileSync(targetsFile, JSON.stringify({ targets: [{ name: 'cis', kind: 'postgres', ...PG_CONN, database: real, mapping: utilityMappingJson() }] }));
    const config = loadConfig({
      TWILIO_AUTH_TOKEN: 'bench-auth-token-0123456789abcdef', TRACER_DB: path.join(dir, 'tracer.db'), UTILITY_DB: path.join(dir, 'utility.db'),
      UTILITY_SAMPLE_CUSTOMERS: '50', LOG_LEVEL: 'error', TARGETS_FILE: targetsFile,
    });
    // 'error': the campaign's warning about replaced numbers is said in its own bench line instead of as JSON among them.
    const app = createApp({ config, logger: createLogger('error') });
    const [, learnS] = await seconds(() => app.services.profiles.learn('cis'));
    const [, learnAllS] = await seconds(() => app.services.profiles.learn('cis', { limit: 100_000 }));
    console.log(`${'learn (5,000 newest rows per table)'.padEnd(44)} ${learnS.toFixed(2).padStart(14)} s`);
    console.log(`${'learn (up to 100,000 rows per table)'.padEnd(44)} ${learnAllS.toFixed(2).padStart(14)} s`);

    // The target layer alone: the same prepared canaries, drawn to the profile and written in batches of 500.
    const target = app.services.targets.get('cis')!;
    const drawn = prepared(CANARIES + 200);
    const clashes = await target.collidesMany!(drawn);
    const requests = drawn.filter((_, i) => !clashes.has(i)).slice(0, CANARIES);
    const written: WrittenRow[][] = [];
    const [, profiledS] = await seconds(async () => {
      for (let at = 0; at < requests.length; at += 500) {
        for (const r of await target.plantBatch!(requests.slice(at, at + 500))) written.push(rowsOf(r.details)!);
      }
    });
    const [, rawS] = await seconds(async () => {
      for (let at = 0; at < written.length; at += 500) await rawInsert(rawDb, written.slice(at, at + 500));
    });
    const [profiledRate, rawRate] = [CANARIES / profiledS, CANARIES / rawS];
    console.log(`${'SQL connector, learned profile (500/batch)'.padEnd(44)} ${String(CANARIES).padStart(7)} in ${profiledS.toFixed(2).padStart(6)} s  ${profiledRate.toFixed(0).padStart(6)} canaries/s`);
    console.log(`${'raw multi-row INSERT of the same rows'.padEnd(44)} ${String(CANARIES).padStart(7)} in ${rawS.toFixed(2).padStart(6)} s  ${rawRate.toFixed(0).padStart(6)} canaries/s`);
    console.log(`ratio profiled/raw: ${(profiledRate / rawRate).toFixed(2)} (target >= 0.5)`);

    const channel = app.services.channels.create({ name: 'Bench', kind: 'call-centre-vendor', target: 'cis', routing: { queue: 'CC-DAY' } });
    // A simulated block of numbers may hold real customers' mobiles of the 100,000: those canaries take
    // other numbers. Should the campaign still be refused part-way, that is said and the audit runs on what was planted.
    try {
      const [, campaignS] = await seconds(() => app.services.canaries.create({ channelIds: [channel.id], count: 1000 }));
      const replaced = app.services.db.prepare("SELECT count(*) FROM canary_numbers WHERE retired_reason = 'held-by-real-record'").pluck().get() as number;
      console.log(`${'whole tracer, campaign of 1000 (profiled)'.padEnd(44)} ${String(1000).padStart(7)} in ${campaignS.toFixed(2).padStart(6)} s  ${(1000 / campaignS).toFixed(0).padStart(6)} canaries/s  (${replaced} numbers a real customer held, replaced)`);
    } catch (err) {
      console.log(`${'whole tracer, campaign of 1000 (profiled)'.padEnd(44)} failed: ${(err as Error).message}`);
    }
    const [report, auditS] = await seconds(() => auditTarget(app.services.db, 'cis', target, { maxRows: ROWS + CANARIES + 1000 }));
    console.log(`${'audit (every ticket read in pages of 2000)'.padEnd(44)} ${auditS.toFixed(2).padStart(14)} s  (${report.canaries} canaries, ${report.real} real rows compared; one batch planted at once, so keys tell: max AUC ${Math.max(...report.detectors.map((d) => d.auc)).toFixed(2)})`);
    await app.close();
  } finally {
    await seed.close();
    await rawDb.close();
    await admin(`DROP DATABASE IF EXISTS ${real} WITH (FORCE)`);
    await admin(`DROP DATABASE IF EXISTS ${raw} WITH (FORCE)`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function prepared(n: number): PlantingRequest[] {
  const g = createIdentityGenerator({ locale: 'ar-SA', seed: 99 });
  const channel = { id: 'bench', name: 'Bench', kind: 'call-centre-vendor' as const, description: '', dimensions: {}, target: 'cis', routing: { queue: 'CC-DAY' }, feeds: [], createdAt: new Date(0).toISOString(), archivedAt: null };
  return Array.from({ length: n }, (_, i) => {
    const identity = g.next(`+96659${String(1_000_000 + i).padStart(7, '0')}`);
    return { ...identity, variant: g.variants(identity, 1)[0]!, channel };
  });
}

/** The rows the connector wrote, inserted as they are: one transaction, one multi-row INSERT per table. */
async function rawInsert(driver: PostgresDriver, canaries: WrittenRow[][]): Promise<void> {
  await driver.transaction(async (tx) => {
    for (const table of TABLES) {
      const rows = canaries.map((c) => c.find((w) => w.table === table)!);
      const key = table === 'customers' ? 'customer_id' : table === 'service_tickets' ? 'ticket_id' : undefined;
      const cols = [...(key ? [key] : []), ...Object.keys(rows[0]!.values)];
      const values = rows.map((r) => cols.map((c) => (c === key ? r.key : r.values[c]) as Scalar));
      await tx.insert(insertStatement('postgres', table, cols, values));
    }
  });
}
