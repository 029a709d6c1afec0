// Full evidence verification over a store of BENCH_EVIDENCE_HITS hits (half of them calls with a
// status callback, two in three named by Twilio): what the re-derivation of a hit's shown status,
// duration and caller name adds to the fact pass, and how long the thread that answers Twilio is
// held while the server verifies — on the evidence thread (what the API and the dashboard do)
// against on the main thread (what they did), in the same run.
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { derivedHitCheck } from '../../src/evidence/verify-derived.ts';
import { localTracer } from '../drills/support.ts';

const HITS = Number(process.env.BENCH_EVIDENCE_HITS ?? 20_000);
const RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

/** The longest the event loop was held (ms) while `work` ran: what a webhook arriving then waits. */
async function held(work: () => unknown): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await new Promise((r) => setTimeout(r, 20));
  await work();
  await new Promise((r) => setTimeout(r, 20));
  h.disable();
  return h.max / 1e6;
}

export async function evidenceBench(): Promise<void> {
  const t = localTracer();
  try {
    const ing = t.app.services.ingestor;
    const start = Date.parse('2026-11-28T09:00:00Z');
    const filled = process.hrtime.bigint();
    for (let i = 0; i < HITS; i++) {
      const sid = `CA${String(i).padStart(32, '0')}`;
      const at = new Date(start + i * 1000).toISOString();
      const named = i % 3 !== 0 ? { CallerName: 'AQUA FIX' } : {};
      await ing.ingest({
        kind: 'call', sid, from: `+1212555${String(i % 10_000).padStart(4, '0')}`, to: '+15550000000', callerName: named.CallerName ?? null,
        body: null, receivedAt: at, callStatus: 'ringing', raw: { CallSid: sid, CallStatus: 'ringing', ...named },
      });
      if (i % 2 === 1) await ing.recordStatus({ sid, status: 'completed', sequenceNumber: null, durationSeconds: 30, receivedAt: at, raw: { CallSid: sid, CallStatus: 'completed' } });
    }
    console.log(`\nEvidence verify over ${HITS} hits (${Math.floor(HITS / 2)} status events), filled in ${seconds(filled).toFixed(1)} s; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cpu(s)`);
    const db = t.app.services.db;
    const s = t.app.services.evidenceService;
    const full: number[] = [];
    const derived: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      let at = process.hrtime.bigint();
      const r = s.verify();
      full.push(seconds(at));
      if (!r.ok) throw new Error(`the bench's store does not verify: ${r.firstProblem?.message}`);
      at = process.hrtime.bigint();
      const check = derivedHitCheck(db);
      for (const row of db.prepare('SELECT * FROM hits').iterate() as Iterable<Record<string, unknown>>) check(row);
      derived.push(seconds(at));
    }
    const [f, d] = [median(full), median(derived)];
    console.log(`${'full verify (median of 3)'.padEnd(44)} ${f.toFixed(2).padStart(7)} s`);
    console.log(`${'re-derivation alone (status, duration, name)'.padEnd(44)} ${d.toFixed(2).padStart(7)} s  (${((d / f) * 100).toFixed(0)} % of the full verify's time)`);
    // Warm the thread (its start-up is not the verification's cost), then the two ways side by side.
    await s.verifyOffThread();
    const onMain = await held(() => s.verify());
    const offMain = await held(() => s.verifyOffThread());
    console.log(`${'webhooks thread held, verify on it'.padEnd(44)} ${onMain.toFixed(0).padStart(7)} ms`);
    console.log(`${'webhooks thread held, verify on its thread'.padEnd(44)} ${offMain.toFixed(0).padStart(7)} ms  (ratio ${(offMain / onMain).toFixed(3)})`);
  } finally {
    await t.dispose();
  }
}
