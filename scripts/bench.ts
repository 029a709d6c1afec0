// npm run bench — ratios against a baseline measured in the same run, never absolute targets:
// these machines are shared and noisy.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import twilio from 'twilio';
import { newSid, simulatedAccountSid } from '../src/telephony/simulator.ts';
import { attributionBench } from './bench/attribution.ts';
import { reportBench } from './bench/report.ts';
import { plantingBench } from './bench/planting.ts';
import { cliBench } from './bench/cli.ts';
import { alertsBench } from './bench/alerts.ts';
import { stealthBench } from './bench/stealth.ts';
import { dashboardBench } from './bench/dashboard.ts';
import { evidenceBench } from './bench/evidence.ts';

const AUTH_TOKEN = 'bench-auth-token-0123456789abcdef';
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const root = path.resolve(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Child {
  child: ChildProcess;
  url: string;
  numbers: string[];
  /** Resolves with what the child reports when it stops: requests served and CPU spent on them. */
  done: Promise<{ requests: number; cpuMicros: number }>;
}

async function startChild(script: string): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root, env: { ...process.env, BENCH_PORT: String(port), BENCH_AUTH_TOKEN: AUTH_TOKEN }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    let reportDone: (v: { requests: number; cpuMicros: number }) => void = () => {};
    const done = new Promise<{ requests: number; cpuMicros: number }>((r) => (reportDone = r));
    let ready = false;
    child.stdout!.on('data', (d) => {
      buf += d;
      const m = /READY (.*)\n/.exec(buf);
      if (m && !ready) {
        ready = true;
        resolve({ child, done, ...JSON.parse(m[1]!) });
      }
      const fin = /DONE (.*)\n/.exec(buf);
      if (fin) reportDone(JSON.parse(fin[1]!));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Every request is a distinct, validly signed inbound call, as Twilio would send it. */
async function measure(label: string, target: { url: string; numbers: string[] }) {
  const accountSid = simulatedAccountSid(AUTH_TOKEN);
  let n = 0;
  const result = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{
      method: 'POST',
      path: '/twilio/voice',
      setupRequest: (req: any) => {
        const to = target.numbers[n++ % target.numbers.length]!;
        const params = { AccountSid: accountSid, ApiVersion: '2010-04-01', CallSid: newSid('CA'), CallStatus: 'ringing',
          Direction: 'inbound', From: '+966112345678', To: to, CallerName: 'BENCH CALLER' };
        return {
          ...req,
          headers: { 'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${target.url}/twilio/voice`, params) },
          body: new URLSearchParams(params).toString(),
        };
      },
    }],
  });
  const ok = result['2xx'];
  const bad = result.non2xx + result.errors + result.timeouts;
  console.log(`${label.padEnd(34)} ${result.requests.average.toFixed(0).padStart(7)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  (2xx ${ok}, other ${bad})`);
  return result;
}

async function webhookBench() {
  console.log(`POST /twilio/voice, ${CONNECTIONS} connections, ${DURATION}s each, signed requests, unique CallSids`);
  const bare = await startChild('scripts/bench/bare-server.ts');
  const base = await measure('bare node:http (same TwiML)', bare);
  await stop(bare.child);
  const baseCpu = await bare.done;
  const tracer = await startChild('scripts/bench/tracer-server.ts');
  const ours = await measure('tracer (signature + durable write)', tracer);
  await stop(tracer.child);
  const oursCpu = await tracer.done;
  const ratio = ours.requests.average / base.requests.average;
  const perReq = (c: { requests: number; cpuMicros: number }) => c.cpuMicros / Math.max(1, c.requests);
  console.log(`ratio tracer/bare throughput: ${ratio.toFixed(2)}  (target >= 0.5); tracer p99 ${ours.latency.p99} ms (target < 25 ms)`);
  // CPU per request is steadier than throughput on a shared machine: it does not count waiting.
  console.log(`server CPU per request: bare ${perReq(baseCpu).toFixed(0)} us, tracer ${perReq(oursCpu).toFixed(0)} us ` +
    `(tracer stored ${oursCpu.requests} hits); CPU ratio bare/tracer ${(perReq(baseCpu) / perReq(oursCpu)).toFixed(2)}`);
}

// One section per concern, run in this order; BENCH_ONLY=<name> runs one (the planting one alone is
// also `npm run bench:planting`).
const SECTIONS: Record<string, () => Promise<void>> = {
  // The webhook hot path against a bare node:http server.
  webhook: webhookBench,
  // Canaries planted into PostgreSQL, batched vs one at a time (scripts/bench/planting.ts).
  planting: plantingBench,
  // Attribution accuracy vs canaries on simulated worlds (scripts/bench/attribution.ts).
  attribution: attributionBench,
  // The report over 10k / 100k / 1M hits, and webhooks beside it (scripts/bench/report.ts).
  report: reportBench,
  // The CLI's start-up against a bare node process (scripts/bench/cli.ts).
  cli: cliBench,
  // Hit → alert at a local webhook receiver, and a receiver outage (scripts/bench/alerts.ts).
  alerts: alertsBench,
  // Learn and audit times for 100,000 real rows; profiled planting beside a raw INSERT (scripts/bench/stealth.ts).
  stealth: stealthBench,
  // The dashboard's pages over a large store vs the JSON API's page (scripts/bench/dashboard.ts).
  dashboard: dashboardBench,
  // Full evidence verification: the re-derivation's share, and the webhooks' thread held on vs off it (scripts/bench/evidence.ts).
  evidence: evidenceBench,
};
const only = process.env.BENCH_ONLY;
if (only && !(only in SECTIONS)) throw new Error(`BENCH_ONLY must be one of ${Object.keys(SECTIONS).join(', ')}`);
for (const [name, run] of Object.entries(SECTIONS)) if (!only || only === name) await run();
