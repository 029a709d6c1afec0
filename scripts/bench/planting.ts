// `npm run bench`, second section: canaries planted into a fresh PostgreSQL database through the
// whole tracer (numbers, identities, collision checks, evidence log, target writes), batched
// (multi-row INSERT ... RETURNING, 500 canaries per transaction) against one canary at a time
// (the same connector without plantBatch) in the same run. Also runs alone:
//   node --import tsx scripts/bench/planting.ts
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { createTarget } from '../../src/planting/factory.ts';
import type { PlantingTarget } from '../../src/planting/target.ts';
import { PostgresDriver } from '../../src/planting/sql/postgres.ts';
import { fillUtilityDatabase } from '../../src/utility-sample/fill.ts';
import { utilityMappingJson } from '../../src/utility-sample/mapping.ts';
import { UTILITY_SCHEMA_POSTGRES } from '../../src/utility-sample/schema.ts';

const N = Number(process.env.BENCH_CANARIES ?? 10_000);
const BASELINE = Number(process.env.BENCH_BASELINE_CANARIES ?? Math.min(N, 1000));
const PG_CONN = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGUSER ?? 'postgres' };

async function admin(sql: string) {
  const c = new pg.Client({ ...PG_CONN, database: 'postgres' });
  await c.connect();
  await c.query(sql);
  await c.end();
}

/** The same connector with plantBatch hidden: the tracer falls back to one canary per transaction. */
function oneAtATime(inner: PlantingTarget, name: string): PlantingTarget {
  return {
    name, kind: inner.kind,
    plant: (r) => inner.plant(r),
    collides: (id) => inner.collides!(id),
    withdraw: (ref, d, c) => inner.withdraw(ref, d, c),
    close: () => inner.close?.(),
  };
}

async function timed(label: string, n: number, plant: (count: number) => Promise<number>): Promise<number> {
  const started = performance.now();
  let done = 0;
  while (done < n) done += await plant(n - done);
  const seconds = (performance.now() - started) / 1000;
  const rate = n / seconds;
  console.log(`${label.padEnd(44)} ${String(n).padStart(6)} canaries in ${seconds.toFixed(2).padStart(6)} s  ${rate.toFixed(0).padStart(6)} canaries/s`);
  return rate;
}

export async function plantingBench(): Promise<void> {
  const database = `ct_bench_${randomBytes(4).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracer-bench-planting-'));
  console.log(`\nPlanting into PostgreSQL (fresh database ${database}): batched path vs one canary at a time, whole tracer in the loop`);
  await admin(`CREATE DATABASE ${database}`);
  try {
    const seed = new PostgresDriver({ ...PG_CONN, database, schema: 'public', ssl: false, connectTimeoutMs: 5000 } as never);
    for (const sql of UTILITY_SCHEMA_POSTGRES) await seed.query({ sql, params: [] });
    await fillUtilityDatabase(seed, 600, 'ar-SA', { seed: 1 });
    const targetsFile = path.join(dir, 'targets.json');
    fs.writeFileSync(targetsFile, JSON.stringify({ targets: [{ name: 'cis', kind: 'postgres', ...PG_CONN, database, mapping: utilityMappingJson() }] }));
    const config = loadConfig({
      TWILIO_AUTH_TOKEN: 'bench-auth-token-0123456789abcdef', TRACER_DB: path.join(dir, 'tracer.db'), UTILITY_DB: path.join(dir, 'utility.db'),
      UTILITY_SAMPLE_CUSTOMERS: '50', LOG_LEVEL: 'warn', TARGETS_FILE: targetsFile, SIM_NUMBER_RANGES: 'SA:+966590000000-+966590099999',
    });
    const baselineTarget = oneAtATime(createTarget(config.targets[0]!, { clock: () => new Date() }), 'cis-one-by-one');
    const app = createApp({ config, logger: createLogger('warn'), targets: [baselineTarget] });
    const { channels, canaries } = app.services;
    const batched = channels.create({ name: 'Batched', kind: 'call-centre-vendor', target: 'cis', routing: { queue: 'CC-DAY' } });
    const single = channels.create({ name: 'One by one', kind: 'call-centre-vendor', target: 'cis-one-by-one', routing: { queue: 'CC-NIGHT' } });
    const before = await seed.query({ sql: 'SELECT count(*)::int AS n FROM service_tickets', params: [] });

    const fast = await timed('batched (500 per transaction, multi-row)', N, async (left) =>
      (await canaries.create({ channelIds: [batched.id], count: Math.min(left, 10_000) })).length);
    const slow = await timed('baseline (one canary per transaction)', BASELINE, async (left) =>
      (await canaries.create({ channelIds: [single.id], count: Math.min(left, 1000) })).length);

    const after = await seed.query({ sql: 'SELECT count(*)::int AS n FROM service_tickets', params: [] });
    const planted = Number(after[0]!.n) - Number(before[0]!.n);
    if (planted !== N + BASELINE) throw new Error(`expected ${N + BASELINE} new tickets in PostgreSQL, found ${planted}`);
    console.log(`ratio batched/baseline: ${(fast / slow).toFixed(1)}x; batched ${fast.toFixed(0)} canaries/s (target >= 1000); ` +
      `${planted} tickets verified in PostgreSQL`);
    await app.close();
    await seed.close();
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await plantingBench();
