// Shared by the drills: a tracer in this process on a temp store, a tracer as a child process
// (for kill -9 and floods), and Twilio-signed requests. Loopback only, every loop bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import twilio from 'twilio';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { newSid, simulatedAccountSid } from '../../src/telephony/simulator.ts';

export const AUTH_TOKEN = 'drill-auth-token-0123456789abcdef';
export const ACCOUNT_SID = simulatedAccountSid(AUTH_TOKEN);

export interface DrillResult {
  ok: boolean;
  /** The one line the README quotes. */
  figure: string;
  details?: string[];
}

export interface DrillOptions {
  /** CI: smaller, shorter runs. */
  trim: boolean;
}

export const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

export function drillConfig(dir: string, env: Record<string, string> = {}) {
  return loadConfig({
    TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL: 'https://tracer.drill.example', LOG_LEVEL: 'silent',
    TRACER_DB: path.join(dir, 'tracer.db'), UTILITY_DB: path.join(dir, 'utility.db'), UTILITY_SAMPLE_CUSTOMERS: '40',
    EVIDENCE_CHECKPOINT_MINUTES: '0', ...env,
  });
}

/** A tracer in this process, with a settable clock and a token per role. */
export function localTracer(env: Record<string, string> = {}) {
  const dir = tempDir('tracer-drill-');
  let now = Date.parse('2026-11-28T09:00:00.000Z');
  const clock = () => new Date(now);
  const app = createApp({ config: drillConfig(dir, env), clock, logger: createLogger('silent') });
  const t = app.services.tokens;
  return {
    app, dir,
    advanceMinutes: (m: number) => (now += m * 60_000),
    tokens: { admin: t.create({ role: 'admin' }).token, seeder: t.create({ role: 'seeder' }).token, investigator: t.create({ role: 'investigator' }).token },
    async dispose() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function callParams(to: string, from: string, extra: Record<string, string> = {}): Record<string, string> {
  return { AccountSid: ACCOUNT_SID, CallSid: newSid('CA'), CallStatus: 'ringing', Direction: 'inbound', From: from, To: to, ...extra };
}

export const sign = (url: string, params: Record<string, string>) => twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params);

/** POSTs a webhook to a running tracer, signed for the URL it was configured with. */
export async function postSigned(baseUrl: string, publicBaseUrl: string, pathname: string, params: Record<string, string>, signature?: string) {
  const res = await fetch(baseUrl + pathname, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature ?? sign(publicBaseUrl + pathname, params) },
    body: new URLSearchParams(params).toString(),
  });
  await res.arrayBuffer();
  return res.status;
}

export interface ChildTracer {
  proc: ChildProcess;
  url: string;
  numbers: string[];
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** The real server as a child process on `dir`'s store (seeded with canaries on first start). */
export async function childTracer(dir: string, o: { seed?: number } = {}): Promise<ChildTracer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'server-child.ts')], {
    env: { ...process.env, DRILL_DIR: dir, DRILL_SEED: String(o.seed ?? 0), DRILL_AUTH_TOKEN: AUTH_TOKEN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: proc.stdout! });
  const ready = await new Promise<{ url: string; numbers: string[] }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('tracer did not start in 60 s')), 60_000);
    lines.on('line', (l) => {
      if (l.startsWith('READY ')) {
        clearTimeout(timer);
        resolve(JSON.parse(l.slice(6)));
      }
    });
    proc.once('exit', (code) => reject(new Error(`tracer exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc, ...ready,
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

export const PUBLIC_BASE = (port: number) => `http://127.0.0.1:${port}`;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const storeBytes = (dir: string) =>
  ['tracer.db', 'tracer.db-wal', 'tracer.db-shm'].reduce((n, f) => n + (fs.existsSync(path.join(dir, f)) ? fs.statSync(path.join(dir, f)).size : 0), 0);
