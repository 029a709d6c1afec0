// A restart with a large pool: the store holds DRILL_HELD numbers (default 100,000; CI 20,000).
// Figures: time from spawn to /healthz, time until every number is reconciled, peak RSS — beside
// a restart with 1,000 held numbers in the same run, which the large pool's peak must stay near.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { openTracerDb } from '../../src/store/db.ts';
import { AUTH_TOKEN, tempDir, type DrillOptions, type DrillResult } from './support.ts';

/** The pool a restart is compared with: memory at start-up must not grow with the pool. */
const SMALL_POOL = 1_000;
/**
 * How much more a large pool may take at its peak than the small one: SQLite's page caches (16 MB
 * for the store and 16 MB for the reconcile's temporary table, filled as the pool is read) and
 * V8's young generation; what grew with the pool before it was bounded was about 90 MB at 100,000.
 */
const BOUNDED_GROWTH_MB = 64;

export async function run(o: DrillOptions): Promise<DrillResult> {
  const held = Number(process.env.DRILL_HELD ?? (o.trim ? 20_000 : 100_000));
  const small = await restart(Math.min(SMALL_POOL, held));
  const large = await restart(held);
  const growthMb = (large.peakRss - small.peakRss) / 1024;
  return {
    ok: small.ok && large.ok && growthMb <= BOUNDED_GROWTH_MB,
    figure: `${held} held numbers: /healthz after ${(large.healthyAt / 1000).toFixed(1)} s, every number reconciled after ${(large.reconciledAt / 1000).toFixed(1)} s, ` +
      `peak RSS ${(large.peakRss / 1024).toFixed(0)} MB${large.peakParts ? ` (${large.peakParts})` : ''}${large.heapAfterGc}; ` +
      `with ${small.held} held: ${(small.peakRss / 1024).toFixed(0)} MB (+${growthMb.toFixed(0)} MB for the larger pool, bound ${BOUNDED_GROWTH_MB} MB)`,
  };
}

async function restart(held: number) {
  const dir = tempDir('tracer-drill-restart-');
  const file = path.join(dir, 'tracer.db');
  const db = openTracerDb(file);
  const insert = db.prepare(`INSERT INTO canary_numbers (id, phone_number, country, provider, provider_sid, status, created_at, backfilled_until)
                             VALUES (?, ?, 'US', 'simulated', ?, 'ready', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`);
  db.transaction(() => {
    for (let i = 0; i < held; i++) insert.run(`num_${i}`, `+1202${String(i).padStart(7, '0')}`, `PN${String(i).padStart(32, '0')}`);
  })();
  db.close();
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const t0 = performance.now();
  // DRILL_GC_PROBE=1: collect garbage at once (gc-probe.mjs) to tell what the process keeps from what V8 has yet to collect.
  const probe = process.env.DRILL_GC_PROBE === '1' ? path.join(dir, 'gc-probe') : null;
  const probeArgs = probe ? ['--expose-gc', '--import', path.join(import.meta.dirname, 'gc-probe.mjs')] : [];
  const child = spawn(process.execPath, [...probeArgs, 'bin/tracer.mjs', 'serve'], {
    env: { ...process.env, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TRACER_DB: file, UTILITY_DB: path.join(dir, 'u.db'), UTILITY_SAMPLE_CUSTOMERS: '20',
      DRILL_GC_PROBE_OUT: probe ?? '', PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'error', SIM_NUMBER_RANGES: 'US:+12020000000-+12020099999', EVIDENCE_CHECKPOINT_MINUTES: '0' },
    stdio: 'ignore',
  });
  let healthyAt = NaN;
  for (let i = 0; i < 6_000 && Number.isNaN(healthyAt); i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok) healthyAt = performance.now() - t0;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  let peakRss = 0;
  let peakParts = '';
  let reconciledAt = NaN;
  const reader = (await import('better-sqlite3')).default;
  const ro = new reader(file, { readonly: true });
  const done = ro.prepare("SELECT count(*) FROM canary_numbers WHERE backfilled_until > '2026-11-02'").pluck();
  for (let i = 0; i < 3_000 && Number.isNaN(reconciledAt); i++) {
    const rss = rssOf(child.pid!);
    if (rss > peakRss) [peakRss, peakParts] = [rss, rssParts(child.pid!)];
    if ((done.get() as number) >= held) reconciledAt = performance.now() - t0;
    else await new Promise((r) => setTimeout(r, 100));
  }
  ro.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const heapAfterGc = probe && fs.existsSync(probe) ? `; with a full GC every 200 ms: peak heap after GC ${(Number(fs.readFileSync(probe, 'utf8')) / 1048576).toFixed(0)} MB` : '';
  fs.rmSync(dir, { recursive: true, force: true });
  return { held, ok: !Number.isNaN(healthyAt) && !Number.isNaN(reconciledAt), healthyAt, reconciledAt, peakRss, peakParts, heapAfterGc };
}

/** Resident set size in kB, from /proc (Linux). */
function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** What the resident set is made of (Linux smaps_rollup): anonymous (heaps, malloc) against file-backed and shared pages. */
function rssParts(pid: number): string {
  try {
    const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    return `anon ${(kb('Anonymous') / 1024).toFixed(0)} MB, file ${((kb('Rss') - kb('Anonymous')) / 1024).toFixed(0)} MB`;
  } catch {
    return '';
  }
}
