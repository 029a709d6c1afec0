import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { cliHarness } from '../support/cli.ts';

const { tracer, json, env, cleanup } = cliHarness('tracer-security-cli-');

beforeAll(async () => {
  const app = createApp({ config: loadConfig(env), logger: createLogger('silent') });
  for (let i = 0; i < 5; i++) {
    app.services.securityEvents.record({
      kind: 'webhook-forgery', path: '/twilio/voice', source: '203.0.113.9', reason: 'signature-mismatch',
      detail: () => ({ url: 'https://x/twilio/voice', params: { CallerName: 'EVIL\u202eX' } }),
    });
  }
  await app.close(); // close flushes what was counted
});
afterAll(cleanup);

describe('tracer security-events', () => {
  it('when forgeries were counted, then the command lists one row per kind with its count, and --json keeps the sample', async () => {
    const out = await json('security-events');
    expect(out.events).toHaveLength(1);
    expect(out.events[0]).toMatchObject({ source: '203.0.113.9', path: '/twilio/voice', reason: 'signature-mismatch', count: 5 });
    expect(out.events[0].sample.params.CallerName).toBe('EVIL\u202eX');
    const { stdout } = await tracer('security-events');
    expect(stdout).toMatch(/203\.0\.113\.9\s+\/twilio\/voice\s+signature-mismatch\s+5/);
  });
});
