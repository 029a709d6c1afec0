// `alerts` section of `npm run bench`: hit → alert received by a local webhook receiver.
//  1. steady load: BENCH_ALERT_RATE signed Twilio webhooks per second for BENCH_ALERT_SECONDS, each
//     from its own caller; latency = webhook sent → its signed alert verified at the receiver
//     (targets: median <= 2 s, p99 <= 5 s);
//  2. the receiver goes down for BENCH_ALERT_DOWNTIME_SECONDS (default 60; trim it for a quick run)
//     while calls keep coming, then comes back; the output has disabled itself after 5 failures,
//     the bench re-enables it as an admin would, and counts: every hit stored, every hit alerted
//     exactly once (none lost, none duplicated).
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import twilio from 'twilio';
import { newSid, simulatedAccountSid } from '../../src/telephony/simulator.ts';

const AUTH_TOKEN = 'bench-auth-token-0123456789abcdef';
const RATE = Number(process.env.BENCH_ALERT_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_ALERT_SECONDS ?? 20);
const DOWNTIME = Number(process.env.BENCH_ALERT_DOWNTIME_SECONDS ?? 60);
const RECOVERY_WAIT_S = Number(process.env.BENCH_ALERT_RECOVERY_SECONDS ?? 120);
const root = path.resolve(import.meta.dirname, '../..');

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Ready { url: string; numbers: string[]; secret: string; outputId: string; admin: string }

class Receiver {
  /** caller number → arrival times (ms) of verified alerts for it. */
  readonly arrivals = new Map<string, number[]>();
  forged = 0;
  private server: Server | null = null;
  constructor(readonly port: number, private secret = '') {}
  setSecret(s: string) {
    this.secret = s;
  }
  up(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const ts = String(req.headers['x-tracer-timestamp']);
        const sig = createHmac('sha256', this.secret).update(`${ts}.${body}`).digest('hex');
        if (sig !== req.headers['x-tracer-signature']) this.forged++;
        else {
          const caller = JSON.parse(body).caller?.number as string;
          this.arrivals.set(caller, [...(this.arrivals.get(caller) ?? []), Date.now()]);
        }
        res.end('ok');
      });
    });
    return new Promise((resolve) => this.server!.listen(this.port, '127.0.0.1', () => resolve()));
  }
  down(): Promise<void> {
    const s = this.server!;
    return new Promise((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
}

async function startTracer(receiverUrl: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/alerts-server.ts'], {
    cwd: root, env: { ...process.env, BENCH_PORT: String(port), BENCH_AUTH_TOKEN: AUTH_TOKEN, BENCH_RECEIVER_URL: receiverUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buf = '';
  let doneResolve: (v: { hits: number; attempts: Array<{ outcome: string; n: number }> }) => void = () => {};
  const done = new Promise<{ hits: number; attempts: Array<{ outcome: string; n: number }> }>((r) => (doneResolve = r));
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      buf += d;
      const m = /READY (.*)\n/.exec(buf);
      if (m) resolve(JSON.parse(m[1]!));
      const fin = /DONE (.*)\n/.exec(buf);
      if (fin) doneResolve(JSON.parse(fin[1]!));
    });
    child.once('exit', (code) => reject(new Error(`alerts-server exited with ${code}`)));
  });
  const stop = () => new Promise<void>((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { ...ready, done, stop };
}

/** Sends signed calls at `rate`/s for `seconds`, each from a fresh caller; returns caller → send time. */
async function load(t: Ready, rate: number, seconds: number, firstCaller: number): Promise<{ sent: Map<string, number>; failed: number }> {
  const accountSid = simulatedAccountSid(AUTH_TOKEN);
  const sent = new Map<string, number>();
  let failed = 0;
  const inflight: Promise<void>[] = [];
  const total = Math.round(rate * seconds);
  const start = Date.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    const from = `+9665${String(firstCaller + i).padStart(8, '0')}`;
    const params = { AccountSid: accountSid, ApiVersion: '2010-04-01', CallSid: newSid('CA'), CallStatus: 'ringing', Direction: 'inbound',
      From: from, To: t.numbers[i % t.numbers.length]!, CallerName: 'BENCH CALLER' };
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${t.url}/twilio/voice`, params);
    sent.set(from, Date.now());
    inflight.push(fetch(`${t.url}/twilio/voice`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    }).then(async (r) => {
      await r.text();
      if (r.status !== 200) failed++;
    }, () => {
      failed++;
    }));
  }
  await Promise.all(inflight);
  return { sent, failed };
}

async function waitFor(check: () => boolean, seconds: number): Promise<number> {
  const start = Date.now();
  while (!check() && Date.now() - start < seconds * 1000) await sleep(200);
  return (Date.now() - start) / 1000;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

export async function alertsBench(): Promise<void> {
  const receiverPort = await freePort();
  const receiver = new Receiver(receiverPort);
  await receiver.up();
  const tracer = await startTracer(`http://127.0.0.1:${receiverPort}/hook`);
  receiver.setSecret(tracer.secret);
  try {
    console.log(`alerts: hit → signed webhook alert at a local receiver; ${RATE} calls/s for ${SECONDS}s, each from its own caller, throttle off`);
    const steady = await load(tracer, RATE, SECONDS, 0);
    await waitFor(() => [...steady.sent.keys()].every((c) => receiver.arrivals.has(c)), 30);
    const latencies = [...steady.sent].flatMap(([c, t]) => (receiver.arrivals.get(c) ?? []).slice(0, 1).map((a) => a - t)).sort((a, b) => a - b);
    const missing = steady.sent.size - latencies.length;
    console.log(`steady: ${steady.sent.size} hits, ${latencies.length} alerts; hit → alert median ${pct(latencies, 50)} ms, p99 ${pct(latencies, 99)} ms ` +
      `(targets: median <= 2000 ms, p99 <= 5000 ms); webhook failures ${steady.failed}, alerts missing ${missing}, bad signatures ${receiver.forged}`);

    console.log(`receiver down for ${DOWNTIME}s (BENCH_ALERT_DOWNTIME_SECONDS) while calls continue at ${Math.max(1, RATE / 4)}/s`);
    await receiver.down();
    const outage = await load(tracer, Math.max(1, RATE / 4), DOWNTIME, 1_000_000);
    await receiver.up();
    const listed = await fetch(`${tracer.url}/api/v1/alerts/outputs/${tracer.outputId}`, { headers: { authorization: `Bearer ${tracer.admin}` } }).then((r) => r.json());
    console.log(`receiver back; output ${listed.enabled ? 'still enabled' : `disabled (${listed.consecutiveFailures} failures in a row), ${listed.pending} alerts held or pending`}; enabling it as an admin`);
    await fetch(`${tracer.url}/api/v1/alerts/outputs/${tracer.outputId}/enable`, { method: 'POST', headers: { authorization: `Bearer ${tracer.admin}` } });
    const waited = await waitFor(() => [...outage.sent.keys()].every((c) => receiver.arrivals.has(c)), RECOVERY_WAIT_S);
    await sleep(6_000); // one more server sweep: a late duplicate would show here
    const all = new Map([...steady.sent, ...outage.sent]);
    const alerted = [...all.keys()].filter((c) => receiver.arrivals.has(c)).length;
    const duplicates = [...receiver.arrivals.values()].reduce((n, a) => n + a.length - 1, 0);
    await tracer.stop();
    const report = await tracer.done;
    console.log(`after the outage: all ${outage.sent.size} outage alerts in ${waited.toFixed(1)} s after enabling; overall ${all.size} calls sent, ` +
      `${report.hits} hits stored (lost ${all.size - report.hits}), ${alerted} alerted (lost ${all.size - alerted}), duplicates ${duplicates}; ` +
      `delivery attempts ${report.attempts.map((a) => `${a.outcome} ${a.n}`).join(', ')}`);
  } finally {
    await receiver.down().catch(() => undefined);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await alertsBench();
