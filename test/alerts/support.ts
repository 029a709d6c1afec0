// A local receiver for alert outputs (what Slack, a SIEM or a chat would be), and a tracer with
// one channel and one planted canary, allowed to reach the receiver on loopback.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: any;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Answer every request with this status (200 by default). */
  answerWith(status: number): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let status = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      if (status < 300) received.push({ method: req.method!, path: req.url!, headers: req.headers, body, json });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver unavailable');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    answerWith(s: number) {
      status = s;
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

export interface AlertsFixture {
  app: TestApp;
  canary: { id: string; phoneNumber: string };
  channel: { id: string; name: string };
  addOutput(body: Record<string, unknown>): Promise<any>;
  call(from: string, extra?: Record<string, string>): Promise<void>;
}

export async function alertsFixture(env: Record<string, string> = {}): Promise<AlertsFixture> {
  const app = buildTestApp({ env: { OUTBOUND_ALLOWLIST: '127.0.0.1', ...env } });
  const channel = await createChannel(app, { name: 'CRM export', kind: 'crm' });
  const [canary] = await plant(app, [channel.id]);
  return {
    app,
    channel,
    canary: canary!,
    async addOutput(body) {
      // Hit alerts only unless a test asks for more: a verdict that moves publishes events of its own.
      const res = await request(app.http).post('/api/v1/alerts/outputs').set(bearer(app.tokens.admin)).send({ events: ['hit-stored'], ...body });
      if (res.status !== 201) throw new Error(`output add failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async call(from, extra = {}) {
      const res = await signedWebhook(app, '/twilio/voice', callParams(canary!.phoneNumber, from, extra));
      if (res.status !== 200) throw new Error(`webhook failed: ${res.status}`);
    },
  };
}

/** Drains the outbox until nothing due is left (events → notifications → deliveries). */
export async function drain(app: TestApp): Promise<void> {
  while ((await app.services.outbox.drain()) > 0) {
    // each pass may enqueue the next step
  }
}
