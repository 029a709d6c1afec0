// `npm run bench`, section `dashboard` (BENCH_ONLY=dashboard): the console's pages over a store of
// BENCH_DASHBOARD_HITS hits (default 200,000), against the JSON API's /hits page read in the same
// run. A page costs what its page of rows costs, not what the store holds: the ratios say so.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';

const HITS = Number(process.env.BENCH_DASHBOARD_HITS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_DASHBOARD_ROUNDS ?? 40);

export async function dashboardBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracer-bench-dash-'));
  const app = createApp({
    config: loadConfig({ TWILIO_AUTH_TOKEN: 'bench-auth-token-0123456789abcdef', TRACER_DB: path.join(dir, 't.db'), UTILITY_DB: path.join(dir, 'u.db'), UTILITY_SAMPLE_CUSTOMERS: '60', LOG_LEVEL: 'silent' }),
    logger: createLogger('silent'),
  });
  try {
    const s = app.services;
    const ch = s.channels.create({ name: 'Vendor A', kind: 'call-centre-vendor' });
    s.channels.create({ name: 'Quiet', kind: 'other' });
    const canaries = await s.canaries.create({ channelIds: [ch.id], count: 3 });
    const start = Date.now() + 60_000; // after the plantings: every hit is evidence the channel page charts
    s.db.transaction(() => {
      for (let i = 0; i < HITS; i++) {
        const c = canaries[i % canaries.length]!;
        s.hits.insert({
          id: `hit_b${i}`, kind: 'call', providerSid: `CAbench${i}`, from: `+9661${String(i % 5000).padStart(8, '0')}`, to: c.phoneNumber,
          callerName: i % 7 ? null : 'شركة', body: null, receivedAt: new Date(start + i * 1000).toISOString(), numberId: null,
          canaryId: c.id, classification: 'after-planting', callStatus: 'ringing', raw: JSON.stringify({ CallSid: `CAbench${i}` }),
        });
      }
    })();
    const { token } = s.tokens.create({ role: 'investigator' });
    const login = await request(app.http).get('/login');
    const pre = String(login.headers['set-cookie']).split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!;
    const signed = await request(app.http).post('/login').set('Cookie', pre).type('form').send({ _csrf: csrf, token });
    const cookie = String(signed.headers['set-cookie']).split(';')[0]!;
    const party = s.parties.create({ name: 'شركة', numbers: ['+966100000001', '+966100000002'] }, 'bench');
    const kase = s.cases.create({ title: 'Bench case', channelIds: [ch.id] }, { actor: 'bench', role: 'investigator' });
    // The pages read the off-thread report, which decodes once per state of the facts; warm it as a reader's first page would.
    await s.reportOffThread();

    // Beside the time a page takes: how long it held the event loop the webhooks answer on (p99 of
    // the loop's delay while the pages were served; the report is decoded off-thread).
    const time = async (label: string, url: string, auth: Record<string, string>) => {
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < ROUNDS; i++) {
        const r = await request(app.http).get(url).set(auth);
        if (r.status >= 300 && r.status !== 204) throw new Error(`${url} answered ${r.status}`);
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6 / ROUNDS;
      loop.disable();
      console.log(`${label.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms/request   event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`);
      return ms;
    };
    console.log(`dashboard pages over ${HITS} hits, ${ROUNDS} sequential requests each, in-process`);
    const base = await time('baseline: GET /api/v1/hits?limit=50 (JSON)', '/api/v1/hits?limit=50', { Authorization: `Bearer ${token}` });
    const page = { Cookie: cookie };
    const rows = [
      ['GET /hits (first page, 50 rows)', '/hits'],
      ['GET /hits?before=… (a page deep in history)', `/hits?before=${Math.floor(HITS / 2)}`],
      [`GET /hits?channelId=… (filtered)`, `/hits?channelId=${ch.id}`],
      ['GET /live/hits?after=<newest> (poll, nothing new)', `/live/hits?after=${HITS}`],
      ['GET /hits/:id', '/hits/hit_b12345'],
      ['GET / (overview)', '/'],
      ['GET /channels/:id (charts over every hit)', `/channels/${ch.id}`],
      ['GET /parties', '/parties'],
      ['GET /parties/:id (its calls, charts, acts)', `/parties/${party.id}`],
      ['GET /cases', '/cases'],
      ['GET /cases/:id (links, notes, timeline)', `/cases/${kase.id}`],
    ];
    for (const [label, url] of rows) {
      const ms = await time(label!, url!, page);
      console.log(`${''.padEnd(44)} ratio to baseline ${(ms / base).toFixed(2)}`);
    }
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await dashboardBench();
