import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import twilio from 'twilio';
import request from 'supertest';
import { createApp, type App, type AppDeps } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { simulatedAccountSid, newSid } from '../../src/telephony/simulator.ts';

export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const PUBLIC_BASE_URL = 'https://tracer.example.org';
export const ACCOUNT_SID = simulatedAccountSid(AUTH_TOKEN);

export interface TestApp extends App {
  dir: string;
  clock: { now: () => Date; set(iso: string): void; advanceMinutes(m: number): void };
  tokens: { admin: string; seeder: string; investigator: string };
  dispose(): Promise<void>;
}

export function tempDir(prefix = 'tracer-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A whole tracer on temp databases, a settable clock and one token per role. */
export function buildTestApp(o: { env?: Record<string, string>; targets?: AppDeps['targets']; customers?: number } = {}): TestApp {
  const dir = tempDir();
  let now = Date.parse('2026-11-28T09:00:00.000Z');
  const clock = {
    now: () => new Date(now),
    set(iso: string) {
      now = Date.parse(iso);
    },
    advanceMinutes(m: number) {
      now += m * 60_000;
    },
  };
  const config = loadConfig({
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    PUBLIC_BASE_URL,
    TRACER_DB: path.join(dir, 'tracer.db'),
    UTILITY_DB: path.join(dir, 'utility.db'),
    UTILITY_SAMPLE_CUSTOMERS: String(o.customers ?? 60),
    LOG_LEVEL: 'silent',
    // Campaigns in tests are not bills: tests of the cost confirmation set their own threshold.
    COST_CONFIRM_THRESHOLD: '1000000',
    ...o.env,
  });
  const app = createApp({ config, clock: clock.now, logger: createLogger('silent'), targets: o.targets });
  const t = app.services.tokens;
  return {
    ...app,
    dir,
    clock,
    tokens: {
      admin: t.create({ role: 'admin' }).token,
      seeder: t.create({ role: 'seeder' }).token,
      investigator: t.create({ role: 'investigator' }).token,
    },
    async dispose() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** POSTs a webhook signed with the twilio SDK's own helper, for the URL Twilio would have called. */
export function signedWebhook(app: App, pathname: string, params: Record<string, string>, signFor = PUBLIC_BASE_URL + pathname) {
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, signFor, params);
  return request(app.http).post(pathname).type('form').set('X-Twilio-Signature', signature).send(params);
}

export function callParams(to: string, from: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: ACCOUNT_SID, ApiVersion: '2010-04-01', CallSid: newSid('CA'), CallStatus: 'ringing', Direction: 'inbound',
    From: from, Caller: from, To: to, Called: to, ...extra,
  };
}

export function smsParams(to: string, from: string, body: string): Record<string, string> {
  const sid = newSid('SM');
  return { AccountSid: ACCOUNT_SID, ApiVersion: '2010-04-01', MessageSid: sid, SmsSid: sid, From: from, To: to, Body: body, NumMedia: '0' };
}

export async function createChannel(app: TestApp, body: Record<string, unknown>) {
  const res = await request(app.http).post('/api/v1/channels').set(bearer(app.tokens.seeder)).send(body);
  if (res.status !== 201) throw new Error(`channel create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; name: string };
}

export async function plant(app: TestApp, channelIds: string[], count = 1) {
  const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds, count });
  if (res.status !== 201) throw new Error(`canary create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.canaries as Array<{ id: string; phoneNumber: string; plantings: Array<{ channelId: string; externalRef: string; plantedAt: string }> }>;
}
