// An output's URL (Slack's and Teams' carry their key) and a webhook's secret are secrets: they go
// in once and never come out through the API, the delivery record or the log.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { AUTH_TOKEN, PUBLIC_BASE_URL, bearer, callParams, signedWebhook, tempDir } from '../support/app.ts';
import { startReceiver, type Receiver } from './support.ts';

let app: App | undefined;
let receiver: Receiver | undefined;
let dir = '';
afterEach(async () => {
  await app?.close();
  await receiver?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('alert secrets', () => {
  it('when outputs fail, get disabled, are tested and listed, then neither the URL key nor the signing secret is in any answer, delivery record or log line', async () => {
    receiver = await startReceiver();
    receiver.answerWith(503);
    dir = tempDir();
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const config = loadConfig({
      TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL, TRACER_DB: path.join(dir, 't.db'), UTILITY_DB: path.join(dir, 'u.db'),
      UTILITY_SAMPLE_CUSTOMERS: '20', OUTBOUND_ALLOWLIST: '127.0.0.1',
    });
    app = createApp({ config, logger: pino({ level: 'trace' }, sink) });
    const admin = app.services.tokens.create({ role: 'admin' }).token;
    const seeder = app.services.tokens.create({ role: 'seeder' }).token;
    const ch = await request(app.http).post('/api/v1/channels').set(bearer(seeder)).send({ name: 'CRM export', kind: 'crm' });
    const canary = (await request(app.http).post('/api/v1/canaries').set(bearer(seeder)).send({ channelIds: [ch.body.id] })).body.canaries[0];
    const key = 'T0000/B0000/SLACKKEYSLACKKEY';
    const slack = await request(app.http).post('/api/v1/alerts/outputs').set(bearer(admin)).send({ kind: 'slack', name: 'soc', url: `${receiver.url}/services/${key}`, throttleMinutes: 0 });
    const hook = await request(app.http).post('/api/v1/alerts/outputs').set(bearer(admin)).send({ kind: 'webhook', name: 'siem', url: receiver.url, throttleMinutes: 0 });
    const secret = hook.body.secret as string;

    for (let i = 0; i < 6; i++) {
      await signedWebhook(app, '/twilio/voice', callParams(canary.phoneNumber, `+96651234560${i}`));
      while ((await app.services.outbox.drain()) > 0);
    }
    const answers = [
      slack.body,
      (await request(app.http).get('/api/v1/alerts/outputs').set(bearer(admin))).body,
      (await request(app.http).post('/api/v1/alerts/outputs/soc/test').set(bearer(admin))).body,
      (await request(app.http).get('/api/v1/alerts/deliveries').set(bearer(admin))).body,
    ];

    const everything = JSON.stringify(answers) + lines.join('');
    expect(answers[1].outputs.every((o: { enabled: boolean }) => !o.enabled)).toBe(true);
    expect(lines.some((l) => l.includes('alert output disabled'))).toBe(true);
    expect(everything).not.toContain('SLACKKEYSLACKKEY');
    expect(everything).not.toContain(secret);
    expect(JSON.stringify(answers.slice(1))).not.toContain('whsec_');
  });
});
