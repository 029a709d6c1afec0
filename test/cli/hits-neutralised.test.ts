import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { newSid } from '../../src/telephony/simulator.ts';
import { cliHarness } from '../support/cli.ts';

const { tracer, env, cleanup } = cliHarness('tracer-hits-cli-');
const EVIL_NAME = '\u001b]0;owned\u0007EVIL\u202eRIF\u009b2J';
const EVIL_BODY = '=HYPERLINK("http://x")\u2066 call now';
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
let hitId = '';

beforeAll(async () => {
  const app = createApp({ config: loadConfig(env), logger: createLogger('silent') });
  const call = await app.services.ingestor.ingest({
    kind: 'call', sid: newSid('CA'), from: '+966501112233', to: '+966593300150', callerName: EVIL_NAME, body: null,
    receivedAt: '2026-11-28T09:00:00.000Z', raw: { CallerName: EVIL_NAME },
  });
  await app.services.ingestor.ingest({
    kind: 'sms', sid: newSid('SM'), from: '+966501112233', to: '+966593300150', callerName: null, body: EVIL_BODY,
    receivedAt: '2026-11-28T09:01:00.000Z', raw: { Body: EVIL_BODY },
  });
  hitId = call.hit.id;
  await app.close();
});
afterAll(cleanup);

describe('caller text at the console', () => {
  it('when a hit with control and bidi characters is shown, then the terminal gets them neutralised and raw is kept', async () => {
    const { stdout } = await tracer('hits', 'show', hitId);
    expect(stdout).not.toMatch(UNSAFE);
    expect(stdout).toContain('<U+202E>');
    const json = await tracer('hits', 'show', hitId, '--json');
    expect(json.stdout).not.toMatch(UNSAFE);
    expect(JSON.parse(json.stdout).raw.CallerName).toBe(EVIL_NAME);
  });

  it('when hits are exported as CSV, then formulas are prefixed and controls neutralised', async () => {
    const { stdout } = await tracer('hits', 'list', '--csv');
    expect(stdout.replaceAll('\r\n', '\n')).not.toMatch(UNSAFE);
    expect(stdout).toContain(`'=HYPERLINK`);
    expect(stdout.split(/\r?\n/)[0]).toBe('id,received,kind,from,name,to,class,status,secs,canary,body');
  });
});
