// Caller-controlled fields (caller name, SMS body, caller number as sent) carrying terminal escapes,
// bidi overrides, CSV formulas and HTML, through every output a person reads: hits list, hits show
// (text and --json), the CSV export, the report, security-events. Nothing raw may reach them.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createApp } from '../../src/app.ts';
import { createLogger } from '../../src/log.ts';
import { newSid } from '../../src/telephony/simulator.ts';
import { AUTH_TOKEN, drillConfig, tempDir, type DrillOptions, type DrillResult } from './support.ts';

const run_ = promisify(execFile);
const PAYLOADS = [
  '\u001b]0;pwned\u0007', '\u001b[2J\u001b[H', '\u001b[31mRED', '\u009b31m', '\u202eevil\u202c', '\u2066isolate\u2069', 'line\r\nfake: entry',
  '=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '<script>alert(1)</script>', '"quoted","cells"', 'a\u2028b', 'NUL\u0000byte',
];
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export async function run(o: DrillOptions): Promise<DrillResult> {
  const dir = tempDir('tracer-drill-inject-');
  const config = drillConfig(dir);
  const app = createApp({ config, logger: createLogger('silent') });
  const ids: string[] = [];
  for (const [i, evil] of PAYLOADS.entries()) {
    const call = await app.services.ingestor.ingest({
      kind: 'call', sid: newSid('CA'), from: `+96650${String(i).padStart(7, '0')}`, to: '+966593300150', callerName: evil, body: null,
      receivedAt: new Date(Date.UTC(2026, 10, 28, 9, i)).toISOString(), raw: { CallerName: evil, From: evil },
    });
    await app.services.ingestor.ingest({
      kind: 'sms', sid: newSid('SM'), from: `+96650${String(i).padStart(7, '0')}`, to: '+966593300150', callerName: null, body: evil,
      receivedAt: new Date(Date.UTC(2026, 10, 28, 10, i)).toISOString(), raw: { Body: evil },
    });
    ids.push(call.hit.id);
    app.services.securityEvents.record({ kind: 'webhook-forgery', path: '/twilio/voice', source: evil, reason: 'signature-mismatch', detail: () => ({ params: { CallerName: evil } }) });
  }
  await app.close();
  const env = { ...process.env, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TRACER_DB: config.tracerDb, UTILITY_DB: config.utilityDb, LOG_LEVEL: 'silent' };
  const tracer = async (...args: string[]) => (await run_(process.execPath, [path.resolve('bin/tracer.mjs'), ...args], { env, maxBuffer: 10_000_000 })).stdout;
  const outputs: Array<[string, string]> = [
    ['hits list', await tracer('hits', 'list')],
    ['hits list --json', await tracer('hits', 'list', '--json')],
    ['hits list --csv', (await tracer('hits', 'list', '--csv')).replaceAll('\r\n', '\n')],
    ['report', await tracer('report')],
    ['security-events', await tracer('security-events')],
    ['security-events --json', await tracer('security-events', '--json')],
  ];
  for (const id of ids.slice(0, o.trim ? 2 : 6)) {
    outputs.push([`hits show ${id}`, await tracer('hits', 'show', id)], [`hits show ${id} --json`, await tracer('hits', 'show', id, '--json')]);
  }
  const failures = outputs.filter(([, text]) => UNSAFE.test(text)).map(([name]) => `${name}: raw control or bidi character reached the terminal`);
  const csv = outputs.find(([n]) => n === 'hits list --csv')![1];
  for (const f of ['=HYPERLINK', '+1+1', '-2+3', '@SUM']) if (new RegExp(`(^|,)"?\\${f[0]}${f.slice(1).replace(/[()+]/g, '\\$&')}`, 'm').test(csv)) failures.push(`CSV cell starts with ${f}`);
  return {
    ok: failures.length === 0,
    figure: `${PAYLOADS.length} hostile caller values × ${outputs.length} outputs (terminal, --json, CSV): ${failures.length} leaks; HTML: no page renders caller text yet (nunjucks autoescape when one does)`,
    details: failures,
  };
}
