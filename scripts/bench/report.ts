// npm run bench, section `report`: the attribution report over 10k / 100k / 1M hits (100,000 canaries,
// 1,000 channels), its time (CPU, which a busy machine inflates less than wall time), heap and answer
// size, growth per tenfold — cold (nothing kept: a restart or --rebuild) and warm (as a running server
// keeps it, after 1,000 new hits) — then a webhook's p99 with and without reports computed beside it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import twilio from 'twilio';
import { openTracerDb } from '../../src/store/db.ts';
import { AttributionReports } from '../../src/attribution/report.ts';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import { newSid, simulatedAccountSid } from '../../src/telephony/simulator.ts';
import { addHits, fillCanaries, WORLD_START, type ReportWorld } from './report-world.ts';

const SIZES = (process.env.BENCH_REPORT_HITS ?? '10000,100000,1000000').split(',').map(Number);
const WORLD: ReportWorld = { channels: 1000, canaries: 100_000, controls: 5000 };
const AUTH_TOKEN = 'bench-auth-token-0123456789abcdef';
const WARM_REPORTS = Number(process.env.BENCH_REPORT_WARM ?? 3);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function reportBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracer-report-bench-'));
  const file = path.join(dir, 'tracer.db');
  const db = openTracerDb(file);
  try {
    console.log(`\nreport: ${WORLD.channels} channels, ${WORLD.canaries} canaries, ${WORLD.controls} controls; hits ${SIZES.join(' / ')}`);
    fillCanaries(db, WORLD);
    const now = () => new Date(WORLD_START + 15 * 86_400_000);
    let have = 0;
    let last: number | null = null;
    for (const size of SIZES) {
      addHits(db, WORLD, have, size);
      have = size;
      // Cold: a report with nothing kept (a restart, or --rebuild): every hit is read and folded.
      const reports = new AttributionReports(db, now);
      global.gc?.();
      const heap0 = process.memoryUsage().heapUsed;
      const c0 = cpuMs();
      const w0 = performance.now();
      const r = reports.report({ limit: 1000 });
      const cpu = cpuMs() - c0;
      const wall = performance.now() - w0;
      const heap = (process.memoryUsage().heapUsed - heap0) / 1e6;
      const leaking = r.channels.filter((c) => c.verdict === 'leaking').map((c) => c.name);
      console.log(`${String(size).padStart(8)} hits  cold ${cpu.toFixed(0).padStart(6)} ms CPU (${wall.toFixed(0)} ms wall)  heap +${heap.toFixed(0)} MB  ` +
        `answer ${(JSON.stringify(r).length / 1e3).toFixed(0)} kB  leaking: ${leaking.join(', ') || 'none'}` +
        (last ? `  growth x${(cpu / last).toFixed(1)} for x${(size / SIZES[SIZES.indexOf(size) - 1]!).toFixed(0)} hits` : ''));
      last = cpu;
      // Warm: the report as a running server keeps it, three times after 1,000 more hits each: only
      // they are read. The first warm report still pays for code the cold one did not run hot.
      const warm: Array<[number, number]> = [];
      for (let i = 0; i < WARM_REPORTS; i++) {
        addHits(db, WORLD, have, have + 1000);
        have += 1000;
        const c1 = cpuMs();
        const w1 = performance.now();
        reports.report({ limit: 1000 });
        warm.push([cpuMs() - c1, performance.now() - w1]);
      }
      const median = (k: 0 | 1) => [...warm].sort((a, b) => a[k] - b[k])[Math.floor(warm.length / 2)]![k];
      console.log(`${String(size).padStart(8)} hits  warm ${median(0).toFixed(0).padStart(6)} ms CPU (${median(1).toFixed(0)} ms wall), median of ${warm.length} reports each after 1,000 new hits: ` +
        warm.map(([c, w]) => `${c.toFixed(0)}/${w.toFixed(0)}`).join(', ') + ' ms CPU/wall');
    }
    console.log('target: <= 1 s at 1M hits (warm: as a running server keeps it), growth no worse than linear');
    db.close();
    await webhookBesideReports(dir, file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Signed webhooks for a few seconds, idle and then while reports are recomputed from scratch off the event loop. */
async function webhookBesideReports(dir: string, file: string): Promise<void> {
  const config = loadConfig({
    TWILIO_AUTH_TOKEN: AUTH_TOKEN, PORT: '0', PUBLIC_BASE_URL: 'http://127.0.0.1', LOG_LEVEL: 'warn',
    TRACER_DB: file, UTILITY_DB: path.join(dir, 'utility.db'), UTILITY_SAMPLE_CUSTOMERS: '200',
  });
  // No warm-up fold: the idle figure must be idle; the busy one computes reports on purpose.
  const running = await startServer({ config, reportWarmUpMs: -1 });
  const { services } = running.app;
  const token = services.tokens.create({ role: 'investigator', label: 'bench' }).token;
  const numbers = Array.from({ length: 20 }, (_, k) => `+96659${String(k).padStart(7, '0')}`);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const load = async () => {
    const accountSid = simulatedAccountSid(AUTH_TOKEN);
    let n = 0;
    const base = `http://127.0.0.1`;
    const r = await autocannon({
      url: running.url, connections: 10, duration: seconds,
      requests: [{ method: 'POST', path: '/twilio/voice', setupRequest: (req: any) => {
        const params = { AccountSid: accountSid, CallSid: newSid('CA'), CallStatus: 'ringing', Direction: 'inbound', From: '+966112345678', To: numbers[n++ % numbers.length]! };
        return { ...req, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${base}/twilio/voice`, params) }, body: new URLSearchParams(params).toString() };
      } }],
    });
    return r.latency.p99;
  };
  const idle = await load();
  let stop = false;
  let reports = 0;
  const loop = (async () => {
    while (!stop) {
      await fetch(`${running.url}/api/v1/report?rebuild=true&limit=10`, { headers: { authorization: `Bearer ${token}` } });
      reports++;
    }
  })();
  const busy = await load();
  stop = true;
  await loop;
  await running.stop();
  console.log(`webhook p99 idle ${idle} ms, while ${reports} full reports were computed ${busy} ms (ratio ${(busy / Math.max(1, idle)).toFixed(2)}; the report runs on its own thread)`);
}
