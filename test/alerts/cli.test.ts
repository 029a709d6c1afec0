// `tracer alerts …` as an admin runs it: a real process on a temp store, a receiver on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { AlertRepository } from '../../src/alerts/repository.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { cliHarness } from '../support/cli.ts';
import { startReceiver, type Receiver } from './support.ts';

const cli = cliHarness('tracer-alerts-cli-', { UTILITY_SAMPLE_CUSTOMERS: '20', OUTBOUND_ALLOWLIST: '127.0.0.1' });
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  cli.cleanup();
});

describe('tracer alerts', () => {
  it('when an admin adds, lists and tests a webhook output, then each step prints what it did and the secret is printed only at creation', async () => {
    const { stdout: added } = await cli.tracer('alerts', 'add', '--kind', 'webhook', '--name', 'siem', '--url', receiver.url, '--min-severity', 'high');
    const secret = /signing secret .*: (whsec_\S+)/.exec(added)?.[1];
    expect(secret).toBeDefined();

    const listed = await cli.json('alerts', 'list');
    const { stdout: tested } = await cli.tracer('alerts', 'test', 'siem');
    const { stdout: table } = await cli.tracer('alerts', 'list');

    expect(listed.outputs).toEqual([expect.objectContaining({ name: 'siem', kind: 'webhook', enabled: true, minSeverity: 'high', lastDelivery: null })]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(tested).toMatch(/^delivered: siem \(webhook\) answered 200 in \d+ ms: ok/);
    expect(receiver.received.at(-1)!.json).toMatchObject({ test: true });
    expect(table).toMatch(/siem\s+webhook\s+http:\/\/127\.0\.0\.1:\d+\/…\s+high\s+enabled/);
    expect(table).not.toContain(secret);
  }, 60_000);

  it('when the receiver fails a test, then the CLI says what it answered and exits non-zero', async () => {
    receiver.answerWith(503);
    const failed = await cli.fails('alerts', 'test', 'siem');
    receiver.answerWith(200);

    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^FAILED: siem \(webhook\) answered 503/);
    expect(failed.stdout).toMatch(/error: the receiver answered 503/);
  }, 30_000);

  it('when an output was disabled for failing, then list warns and enable brings it back', async () => {
    const app = createApp({ config: loadConfig(cli.env), logger: createLogger('silent') });
    const out = app.services.alerts.show('siem');
    new AlertRepository(app.services.db).disable(out.id, new Date().toISOString(), '5 consecutive failures; last: the receiver answered 503');
    await app.close();

    const { stdout: warned } = await cli.tracer('alerts', 'list');
    const enabled = await cli.json('alerts', 'enable', 'siem');
    const removed = await cli.json('alerts', 'remove', 'siem');
    const unknown = await cli.fails('alerts', 'test', 'siem');

    expect(warned).toMatch(/DISABLED/);
    expect(warned).toMatch(/warning: siem: disabled after 5 consecutive failures .*tracer alerts enable siem/);
    expect(enabled).toMatchObject({ name: 'siem', enabled: true, warning: null });
    expect(removed).toEqual({ id: out.id, name: 'siem', removed: true });
    expect(unknown.stderr).toBe('error: not-found: output "siem" does not exist\n');
  }, 60_000);

  it('when an output is added with bad input, then one clear line and a non-zero exit', async () => {
    const noUrl = await cli.fails('alerts', 'add', '--kind', 'slack', '--name', 'x');
    const badSms = await cli.fails('alerts', 'add', '--kind', 'sms', '--name', 'y', '--to', '0551234567');
    const refused = await cli.fails('alerts', 'add', '--kind', 'webhook', '--name', 'z', '--url', 'http://169.254.169.254/latest');

    expect(noUrl.stderr).toBe('error: invalid-request: url: a slack output needs a url\n');
    expect(badSms.stderr).toMatch(/^error: invalid-request: to: an sms output needs "to"/);
    expect(refused.stderr).toMatch(/^error: outbound-refused: 169\.254\.169\.254 \(linkLocal\) is not a public address/);
  }, 60_000);
});
