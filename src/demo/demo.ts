import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer } from '../server.ts';
import { TwilioSimulator } from '../telephony/simulator.ts';
import type { Report } from '../attribution/report.ts';
import { formatReport } from '../cli/format.ts';

export interface DemoOptions {
  dataDir: string;
  port: number;
  authToken: string;
  print: (line: string) => void;
  logLevel?: string;
}

export interface DemoResult {
  running: RunningServer;
  report: Report;
  tokens: { seeder: string; investigator: string };
  leakingChannelId: string;
}

/** Real time, moved forward on demand: the demo's "minutes later" without the wait. */
export function demoClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advanceMinutes(m: number) {
      offsetMs += m * 60_000;
    },
  };
}

const CHANNELS = [
  { name: 'Call-centre vendor A, night shift', kind: 'call-centre-vendor', routing: { queue: 'CC-NIGHT' },
    dimensions: { handler: 'Vendor A', shift: 'night' }, description: 'Complaints taken by the outsourced night shift' },
  { name: 'CRM export to contractor B', kind: 'contractor-export', routing: { queue: 'CONTRACTOR-EXPORT' },
    dimensions: { system: 'CRM' }, description: 'Nightly export of open leak tickets to the repair contractor' },
  { name: 'Work-order feed to field operations', kind: 'work-order-feed', routing: { queue: 'FIELD-OPS' },
    dimensions: { system: 'WFM' }, description: 'Work orders pushed to field crews' },
] as const;

/**
 * The whole story on the embedded defaults: sample utility database, simulated telephony, three
 * channels, canaries planted in each, a leak-detection firm calling the canaries of one channel
 * minutes after planting, spam to a number no canary holds, and the report that names the leak.
 */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  fs.rmSync(o.dataDir, { recursive: true, force: true });
  fs.mkdirSync(o.dataDir, { recursive: true });
  const clock = demoClock();
  const port = o.port === 0 ? await freePort() : o.port;
  const config = loadConfig({
    PORT: String(port), HOST: '127.0.0.1', PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, TWILIO_AUTH_TOKEN: o.authToken, LOG_LEVEL: o.logLevel ?? 'warn',
    TRACER_DB: path.join(o.dataDir, 'tracer.db'), UTILITY_DB: path.join(o.dataDir, 'utility-sample.db'),
  });
  o.print(`Creating the sample utility database (${config.utilitySampleCustomers} customers) in ${o.dataDir} ...`);
  const running = await startServer({ config, clock: clock.now });
  const { services } = running.app;
  const seeder = services.tokens.create({ role: 'seeder', label: 'demo security staff' }).token;
  const investigator = services.tokens.create({ role: 'investigator', label: 'demo investigator' }).token;
  const api = apiClient(running.url);

  const channels: Array<{ id: string; name: string }> = [];
  for (const c of CHANNELS) channels.push(await api('POST', '/api/v1/channels', seeder, c));
  o.print(`Channels: ${channels.map((c) => c.name).join(' | ')}`);

  const planted: Record<string, Array<{ id: string; phoneNumber: string }>> = {};
  for (const c of channels) {
    const body = await api('POST', '/api/v1/canaries', seeder, { channelIds: [c.id], count: 3, locale: 'ar-SA' });
    planted[c.id] = body.canaries;
    o.print(`Planted 3 canaries in "${c.name}": ${body.canaries.map((k: { phoneNumber: string }) => k.phoneNumber).join(', ')}`);
  }

  const sim = new TwilioSimulator({ sendTo: running.url, publicBaseUrl: running.url, authToken: o.authToken });
  const leaking = channels[0]!;
  const firm = { numbers: ['+966112345678', '+966555123456'], name: 'AQUA SHIELD LEAK' };
  const victims = planted[leaking.id]!;
  const schedule = [
    { after: 7, to: victims[0]!, from: firm.numbers[0]!, seconds: 48 },
    { after: 4, to: victims[1]!, from: firm.numbers[0]!, seconds: 95 },
    { after: 9, to: victims[2]!, from: firm.numbers[1]!, seconds: 0 },
    { after: 2, to: victims[2]!, from: firm.numbers[1]!, seconds: 61 },
  ];
  for (const step of schedule) {
    clock.advanceMinutes(step.after);
    const call = await sim.call({ to: step.to.phoneNumber, from: step.from, callerName: firm.name });
    await sim.callStatus({ callSid: call.sid, to: step.to.phoneNumber, from: step.from, status: step.seconds ? 'completed' : 'no-answer', durationSeconds: step.seconds });
  }
  await sim.sms({ to: victims[1]!.phoneNumber, from: firm.numbers[1]!, body: 'مرحبا، نحن فريق كشف التسربات. نقدر نزوركم اليوم لفحص التسريب؟' });
  o.print(`A leak-detection firm called the canaries of "${leaking.name}" (${schedule.length} calls, 1 SMS).`);

  // Three days on, nothing else has called the other channels' canaries: they read clean. Background:
  // a robocaller ringing numbers at random, one of them a canary of another channel — weighed, not trusted.
  clock.advanceMinutes(3 * 24 * 60);
  o.print('Three days later:');
  const spammer = '+966920000111';
  await sim.call({ to: '+966593300099', from: spammer, callerName: 'PROMO' });
  await sim.call({ to: planted[channels[2]!.id]![0]!.phoneNumber, from: spammer, callerName: 'PROMO' });
  o.print('Background spam: a robocaller rang a number no canary holds, and one canary of the work-order feed.');

  await services.outbox.drain();
  const report: Report = await api('GET', '/api/v1/report', investigator);
  o.print('');
  for (const line of formatReport(report).split('\n')) o.print(line);
  return { running, report, tokens: { seeder, investigator }, leakingChannelId: leaking.id };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function apiClient(base: string) {
  return async (method: string, p: string, token: string, body?: unknown) => {
    const res = await fetch(base + p, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${json.error}: ${json.message}`);
    return json;
  };
}
