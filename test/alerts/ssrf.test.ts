// Outputs through the tracer itself, with names resolved by a table (no real DNS): a name that
// resolves to a loopback, private or metadata address is refused unless OUTBOUND_ALLOWLIST names it.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import type { Resolver } from '../../src/outbound/policy.ts';
import { AUTH_TOKEN, PUBLIC_BASE_URL, tempDir } from '../support/app.ts';
import { startReceiver, type Receiver } from './support.ts';

const table: Record<string, string> = {
  'hooks.loopback.example': '127.0.0.1', 'hooks.private.example': '10.0.0.1', 'hooks.metadata.example': '169.254.169.254', 'hooks.v6.example': '::1',
};
const resolver: Resolver = async (name) => (table[name] ? [{ address: table[name]!, family: table[name]!.includes(':') ? 6 : 4 }] : []);

let app: App | undefined;
let receiver: Receiver | undefined;
let dir = '';
afterEach(async () => {
  await app?.close();
  await receiver?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function tracer(allowlist?: string): App {
  dir = tempDir();
  const config = loadConfig({
    TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL, TRACER_DB: path.join(dir, 't.db'), UTILITY_DB: path.join(dir, 'u.db'),
    UTILITY_SAMPLE_CUSTOMERS: '20', LOG_LEVEL: 'silent', ...(allowlist ? { OUTBOUND_ALLOWLIST: allowlist } : {}),
  });
  app = createApp({ config, logger: createLogger('silent'), alerts: { resolver } });
  return app;
}

describe('outputs and private addresses', () => {
  it.each(Object.keys(table))('when an output names %s, which resolves to a non-public address, then adding it is refused', async (host) => {
    const a = tracer();
    await expect(a.services.alerts.add({ kind: 'slack', name: 'soc', url: `https://${host}/services/T/B/X` })).rejects.toMatchObject({
      code: 'outbound-refused', message: expect.stringContaining(`${host} resolves to ${table[host]}`),
    });
    expect(a.services.alerts.list()).toEqual([]);
  });

  it('when the name is allow-listed with its port, then the output is added and a test alert reaches the receiver', async () => {
    receiver = await startReceiver();
    const a = tracer(`hooks.loopback.example:${receiver.port}`);

    await a.services.alerts.add({ kind: 'discord', name: 'ops', url: `http://hooks.loopback.example:${receiver.port}/api/webhooks/1/x` });
    const r = await a.services.alerts.test('ops');

    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(receiver.received[0]!.json).toMatchObject({ allowed_mentions: { parse: [] } });
  });
});
