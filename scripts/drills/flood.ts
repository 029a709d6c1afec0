// A flood of forged webhooks (loopback, bounded: DRILL_FLOOD_RATE per second for
// DRILL_FLOOD_SECONDS, default 10,000/s for 30 s; CI 2,000/s for 5 s) while genuine signed calls
// arrive at 20/s. Figures: the rate achieved, the store's growth, the genuine calls' p99 latency
// with and without the flood in the same run, and the machine's load (its noise is not ours).
// The flood comes from its own process (flood-child.ts), as it would from another machine: the
// genuine calls' latency is the server's, not the flooder's event loop.
// The forgeries carry a well-formed signature made with another token — the costly kind: an
// ill-formed one is refused before any hash.
import { fork } from 'node:child_process';
import path from 'node:path';
import { callParams, childTracer, postSigned, percentile, storeBytes, tempDir, type DrillOptions, type DrillResult } from './support.ts';
import fs from 'node:fs';
import os from 'node:os';
import twilio from 'twilio';

export async function run(o: DrillOptions): Promise<DrillResult> {
  const rate = Number(process.env.DRILL_FLOOD_RATE ?? (o.trim ? 2_000 : 10_000));
  const seconds = Number(process.env.DRILL_FLOOD_SECONDS ?? (o.trim ? 5 : 30));
  const dir = tempDir('tracer-drill-flood-');
  const tracer = await childTracer(dir, { seed: 3 });
  const forged = new URLSearchParams({ ...callParams(tracer.numbers[0]!, '+966501112233'), Pad: 'x'.repeat(2_000) }).toString();
  const forgedSignature = twilio.getExpectedTwilioSignature('another-account-token-0000000000', `${tracer.url}/twilio/voice`, {});
  await new Promise((r) => setTimeout(r, 3_000)); // start-up work (reconcile, the report's fold) settles
  const loadBefore = os.loadavg()[0]!;
  let genuineOk = 0;
  let stop = false;
  let sent = 0;
  const genuineCalls = async (latencies: number[], max: number) => {
    for (let i = 0; !stop && i < max; i++) {
      const p = callParams(tracer.numbers[sent % tracer.numbers.length]!, `+9665033${String(sent++).padStart(5, '0')}`);
      const t0 = performance.now();
      const status = await postSigned(tracer.url, tracer.url, '/twilio/voice', p);
      latencies.push(performance.now() - t0);
      if (status === 200) genuineOk++;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  // Baseline in the same run: the same genuine calls with no flood (the machine's own noise), after
  // 20 that warm the server's code paths (a first call's compile is not the flood's doing).
  const warmUp: number[] = [];
  await genuineCalls(warmUp, 20);
  const baseline: number[] = [];
  await genuineCalls(baseline, 100);
  const before = storeBytes(dir);
  const latencies: number[] = [];
  const genuine = genuineCalls(latencies, seconds * 20 + 100);
  const serverCpuBefore = cpuMsOf(tracer.proc.pid!);
  const flood = await floodFromChild({
    url: `${tracer.url}/twilio/voice`, rate, seconds, connections: Number(process.env.DRILL_FLOOD_CONNECTIONS ?? 50),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': forgedSignature }, body: forged,
  });
  const serverCpuMs = cpuMsOf(tracer.proc.pid!) - serverCpuBefore;
  stop = true;
  await genuine;
  await new Promise((r) => setTimeout(r, 1_500)); // the last counts flush
  const growth = storeBytes(dir) - before;
  await tracer.stop();
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(`${dir}/tracer.db`, { readonly: true });
  const rows = db.prepare('SELECT count(*) FROM security_events').pluck().get() as number;
  const counted = db.prepare('SELECT coalesce(sum(count), 0) FROM security_events').pluck().get() as number;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const p99 = percentile(latencies, 99);
  const baseP99 = percentile(baseline, 99);
  const load = `load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after, ${os.cpus().length} cores`;
  const achieved = Math.round(flood.total / seconds);
  const refused = flood.non2xx;
  const cpu = `CPU during the flood: server ${(serverCpuMs / seconds / 10).toFixed(0)}%, flooder ${(flood.cpuMs / seconds / 10).toFixed(0)}% of one core`;
  return {
    // The p99 target is judged at full size; the CI size reports it (a shared CI box's noise is not a finding).
    // …and only when the flood came at (nearly) the rate asked: a p99 under a smaller flood is not the target's.
    ok: (o.trim || (p99 <= 50 && achieved >= 0.95 * rate)) && genuineOk === warmUp.length + latencies.length + baseline.length && rows <= Math.ceil(seconds / 60 + 2),
    figure: `${flood.total} forged requests in ${seconds} s (${achieved}/s of ${rate}/s asked; ${refused} refused) → ${rows} security-event rows ` +
      `(${counted} counted), store grew ${(growth / 1024).toFixed(0)} kB (WAL included, genuine hits too); genuine signed calls: ${genuineOk}/${warmUp.length + latencies.length + baseline.length} stored, p99 ${p99.toFixed(1)} ms, p50 ${percentile(latencies, 50).toFixed(1)} ms ` +
      `(no flood, same run: p99 ${baseP99.toFixed(1)} ms, p50 ${percentile(baseline, 50).toFixed(1)} ms; ratio ${(p99 / baseP99).toFixed(2)}); ${cpu}; ${load}`,
  };
}

interface FloodJob { url: string; rate: number; seconds: number; connections: number; headers: Record<string, string>; body: string }
interface FloodResult { total: number; non2xx: number; errors: number; timeouts: number; cpuMs: number }

/** autocannon in its own process (flood-child.ts), so its event loop is not the genuine client's. */
function floodFromChild(job: FloodJob): Promise<FloodResult> {
  const child = fork(path.join(import.meta.dirname, 'flood-child.ts'), [JSON.stringify(job)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: FloodResult | null = null;
    child.once('message', (m) => (result = m as FloodResult));
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`flooder exited with ${code} and no result`))));
  });
}

/** A process's CPU time so far (user + system), from /proc; 0 where there is no /proc. */
function cpuMsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return 0;
  }
}
