// `npm run drills`: one drill per concern, each printing its figure. DRILL_ONLY=name runs one;
// DRILL_TRIM=1 is the CI size. Loopback traffic only; every loop is bounded.
import { performance } from 'node:perf_hooks';
import type { DrillOptions, DrillResult } from './support.ts';

const DRILLS: Record<string, () => Promise<{ run(o: DrillOptions): Promise<DrillResult> }>> = {
  'kill-9': () => import('./kill9.ts'),
  replays: () => import('./replays.ts'),
  forgeries: () => import('./forgeries.ts'),
  hostile: () => import('./hostile.ts'),
  injection: () => import('./injection.ts'),
  'role-matrix': () => import('./role-matrix.ts'),
  registry: () => import('./registry.ts'),
  tampering: () => import('./tampering.ts'),
  'forgery-flood': () => import('./flood.ts'),
  restart: () => import('./restart.ts'),
};

const only = process.env.DRILL_ONLY?.split(',').filter(Boolean);
const o: DrillOptions = { trim: process.env.DRILL_TRIM === '1' };
let failed = 0;
for (const [name, load] of Object.entries(DRILLS)) {
  if (only && !only.includes(name)) continue;
  const started = performance.now();
  let r: DrillResult;
  try {
    r = await (await load()).run(o);
  } catch (err) {
    r = { ok: false, figure: `drill crashed: ${(err as Error).stack ?? err}` };
  }
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'}  ${name.padEnd(14)} ${r.figure}  (${secs} s)\n`);
  for (const d of r.details ?? []) process.stdout.write(`      ${d}\n`);
  if (!r.ok) failed++;
}
process.exit(failed === 0 ? 0 : 1);
