// A hostile corpus against the running server: sizes, encodings, types, unicode, nesting, methods,
// URLs, headers and slow bodies, to the webhooks, the API and the health page. No 5xx, no hang;
// every refusal is a 4xx carrying a stable code.
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { startServer } from '../../src/server.ts';
import { createLogger } from '../../src/log.ts';
import { callParams, drillConfig, sign, tempDir, type DrillOptions, type DrillResult } from './support.ts';

interface Case {
  name: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Default: a 4xx with {error: <code>}. */
  expect?: (status: number) => boolean;
}

const json = (body: unknown) => ({ headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

function apiCases(): Case[] {
  const ch = (body: unknown, name: string): Case => ({ name, method: 'POST', path: '/api/v1/channels', ...json(body) });
  const cases: Case[] = [
    ch({ name: 'x'.repeat(200_000), kind: 'crm' }, 'body over 100 kB'),
    { name: 'gzip that is not gzip', method: 'POST', path: '/api/v1/channels', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: '{"name":"a"}' },
    { name: 'deflate that is not deflate', method: 'POST', path: '/api/v1/channels', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' }, body: '{"name":"a"}' },
    { name: 'gzip bomb-ish (1 MB of zeros)', method: 'POST', path: '/api/v1/channels', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: gzipSync(Buffer.alloc(1_000_000, 0x20)) },
    { name: 'unknown content encoding', method: 'POST', path: '/api/v1/channels', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'zstd9' }, body: '{}' },
    { name: 'unknown charset', method: 'POST', path: '/api/v1/channels', headers: { 'Content-Type': 'application/json; charset=latin9' }, body: '{}' },
    { name: 'bytes that are not UTF-8', method: 'POST', path: '/api/v1/channels', headers: { 'Content-Type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]) },
    { name: 'overlong UTF-8 encoding of /', method: 'POST', path: '/api/v1/channels', headers: { 'Content-Type': 'application/json' }, body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('","kind":"crm"}')]) },
    { name: 'UTF-16 surrogate encoded in UTF-8 (CESU)', method: 'POST', path: '/api/v1/channels', headers: { 'Content-Type': 'application/json' }, body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('","kind":"crm"}')]) },
    ch('{"name":"a\\ud800","kind":"crm"}', 'lone surrogate escape'),
    ch('{', 'JSON cut short'), ch('{"name":}', 'JSON missing value'), ch("{'name':'a'}", 'JSON single quotes'), ch('{"name":"a",}', 'JSON trailing comma'),
    ch('nul', 'JSON bare word'), ch('123', 'JSON number at top'), ch('"str"', 'JSON string at top'), ch('[]', 'JSON array at top'), ch('null', 'JSON null at top'),
    ch('['.repeat(40_000) + ']'.repeat(40_000), 'nesting 40,000 deep'),
    ch({ name: { a: { b: { c: {} } } }, kind: 'crm' }, 'object where a string goes'),
    ch({ name: 123, kind: 'crm' }, 'number where a string goes'), ch({ name: ['a'], kind: 'crm' }, 'array where a string goes'),
    ch({ name: 'A', kind: 'nope' }, 'unknown enum value'), ch({ name: 'A', kind: 'crm', routing: { 'bad key!': 'x' } }, 'bad routing key'),
    ch({ name: 'A\u0000B', kind: 'crm' }, 'NUL in a name'), ch({ name: 'A\u001b[31mB', kind: 'crm' }, 'ESC in a name'), ch({ name: 'A\u0085B', kind: 'crm' }, 'C1 in a name'),
    ch({ name: 'A\u202eB', kind: 'crm' }, 'RLO in a name'), ch({ name: 'A\u2067B', kind: 'crm' }, 'RLI in a name'), ch({ name: 'A\u2028B', kind: 'crm' }, 'line separator in a name'),
    ch({ name: '   ', kind: 'crm' }, 'blank name'), ch({ name: 'x'.repeat(201), kind: 'crm' }, 'name too long'),
    { name: 'canaries: count negative', method: 'POST', path: '/api/v1/canaries', ...json({ channelIds: ['x'], count: -1 }) },
    { name: 'canaries: count huge', method: 'POST', path: '/api/v1/canaries', ...json({ channelIds: ['x'], count: 1e12 }) },
    { name: 'canaries: channelIds a string', method: 'POST', path: '/api/v1/canaries', ...json({ channelIds: 'x' }) },
    { name: 'text/plain body', method: 'POST', path: '/api/v1/channels', headers: { 'Content-Type': 'text/plain' }, body: '{"name":"A","kind":"crm"}' },
    { name: 'malformed percent-encoding in path', path: '/api/v1/canaries/%ZZ' },
    { name: 'non-UTF-8 percent-encoding in path', path: '/api/v1/channels/%FF%FE' },
    { name: 'non-UTF-8 percent-encoding in query', path: '/api/v1/hits?canaryId=%C3%28' },
    { name: 'URL of 20 kB', path: `/api/v1/hits?canaryId=${'a'.repeat(20_000)}` },
    { name: 'limit not a number', path: '/api/v1/hits?limit=abc' }, { name: 'limit negative', path: '/api/v1/hits?limit=-5' },
    { name: 'since not a date', path: '/api/v1/hits?since=yesterday' }, { name: 'evidence cursor garbage', path: '/api/v1/evidence?cursor=%00%01' },
    { name: 'evidence unknown filter', path: '/api/v1/evidence?verbose=1' }, { name: 'security-events limit 0', path: '/api/v1/security-events?limit=0' },
    { name: 'DELETE a collection', method: 'DELETE', path: '/api/v1/channels' }, { name: 'PUT a collection', method: 'PUT', path: '/api/v1/channels', ...json({}) },
    { name: 'PATCH a token', method: 'PATCH', path: '/api/v1/tokens', ...json({}) }, { name: 'unknown API version', path: '/api/v2/channels' },
    { name: 'no token', path: '/api/v1/channels', headers: { Authorization: '' } }, { name: 'unknown token', path: '/api/v1/channels', headers: { Authorization: 'Bearer ctr_nope' } },
    { name: 'Basic auth', path: '/api/v1/channels', headers: { Authorization: 'Basic YTpi' } }, { name: 'token with NUL-ish bytes', path: '/api/v1/channels', headers: { Authorization: 'Bearer \u00ff\u00fe' } },
    { name: 'health POST', method: 'POST', path: '/healthz' }, { name: 'no such page', path: '/dashboard/../../etc/passwd' },
  ];
  return cases;
}

function webhookCases(): Case[] {
  const form = (params: Record<string, string>, pathname = '/twilio/voice', signed = true): Case => ({
    name: '', method: 'POST', path: pathname,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(signed ? { 'X-Twilio-Signature': sign(`https://tracer.drill.example${pathname}`, params) } : {}) },
    body: new URLSearchParams(params).toString(),
  });
  const p = () => callParams('+966593300150', '+966501112233');
  const named = (name: string, c: Case, expect?: Case['expect']): Case => ({ ...c, name, ...(expect ? { expect } : {}) });
  const big: Record<string, string> = { ...p() };
  for (let i = 0; i < 1001; i++) big[`P${i}`] = 'x';
  const ok = (s: number) => s === 200;
  return [
    named('webhook GET', { name: '', method: 'GET', path: '/twilio/voice' }),
    named('webhook as JSON', { name: '', method: 'POST', path: '/twilio/voice', ...json(p()) }),
    named('webhook 120 kB', form({ ...p(), Pad: 'x'.repeat(120_000) })),
    named('webhook 1001 parameters', form(big)),
    named('webhook signed, no CallSid', form((({ CallSid: _c, ...r }) => r)(p()))),
    named('webhook signed, bad CallSid', form({ ...p(), CallSid: 'CA123' })),
    named('webhook signed, From 65 chars', form({ ...p(), From: '+'.padEnd(65, '1') })),
    named('SMS signed, body over 10,000', form({ AccountSid: p().AccountSid!, MessageSid: `SM${'b'.repeat(32)}`, From: '+1', To: '+2', Body: 'x'.repeat(10_001) }, '/twilio/sms')),
    named('status signed, duration not a number', form({ AccountSid: p().AccountSid!, CallSid: p().CallSid!, CallStatus: 'completed', CallDuration: 'ten' }, '/twilio/status')),
    named('webhook unsigned, bytes not UTF-8', { name: '', method: 'POST', path: '/twilio/voice', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'CallSid=%FF' }),
    named('webhook unknown path', form(p(), '/twilio/fax')),
    named('webhook signed, caller name of emoji and RTL (stored)', form({ ...p(), CallerName: '🚰\u202eمياه' }), ok),
    named('webhook signed, caller name with NUL and ESC (stored raw)', form({ ...p(), CallerName: 'A\u0000\u001b[2J' }), ok),
  ];
}

/** Bytes on a socket: a slow body that does arrive, a body cut off, garbage instead of HTTP. */
async function socketCases(port: number): Promise<Array<{ name: string; ok: boolean; status: string }>> {
  const talk = (name: string, chunks: Array<string | Buffer>, gapMs: number, ok: (reply: string) => boolean, endEarly = false) =>
    new Promise<{ name: string; ok: boolean; status: string }>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      let reply = '';
      const done = () => resolve({ name, ok: ok(reply), status: reply.split('\r\n')[0] || '(closed)' });
      s.on('data', (d) => (reply += d.toString('latin1')));
      s.on('close', done);
      s.on('error', () => undefined);
      setTimeout(() => s.destroy(), 15_000).unref();
      let i = 0;
      const next = () => {
        if (i < chunks.length) {
          s.write(chunks[i++]!);
          setTimeout(next, gapMs);
        } else if (endEarly) s.end();
      };
      next();
    });
  const body = '{"name":"Slow","kind":"crm"}';
  const head = (len: number) => `POST /api/v1/channels HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${len}\r\nConnection: close\r\n\r\n`;
  const is4xx = (r: string) => /^HTTP\/1\.1 4\d\d/.test(r) || r === '';
  return Promise.all([
    talk('slow body, 1 byte per 50 ms', [head(body.length), ...body.split('')], 50, (r) => /^HTTP\/1\.1 (401|201)/.test(r)),
    talk('body shorter than Content-Length, then closed', [head(500), body], 20, () => true, true),
    talk('garbage instead of HTTP', ['\u0000\u0001GARBAGE\r\n\r\n'], 10, is4xx),
    talk('header with a NUL byte', ['GET /healthz HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n'], 10, is4xx),
    talk('unknown method', ['BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n'], 10, is4xx),
  ]);
}

export async function run(_o: DrillOptions): Promise<DrillResult> {
  const dir = tempDir('tracer-drill-hostile-');
  const running = await startServer({ config: drillConfig(dir, { PORT: '0' }), logger: createLogger('silent') });
  const admin = running.app.services.tokens.create({ role: 'admin' }).token;
  const failures: string[] = [];
  let served = 0;
  for (const c of [...apiCases(), ...webhookCases()]) {
    const headers: Record<string, string> = { Authorization: `Bearer ${admin}`, ...c.headers };
    if (headers.Authorization === '') delete headers.Authorization;
    let status = 0;
    let code: unknown;
    try {
      const res = await fetch(running.url + c.path, { method: c.method ?? 'GET', headers, body: c.body as unknown as BodyInit | undefined, signal: AbortSignal.timeout(15_000) });
      status = res.status;
      const text = await res.text();
      try {
        code = JSON.parse(text).error;
      } catch {
        code = undefined;
      }
    } catch (err) {
      failures.push(`${c.name}: ${(err as Error).message}`);
      continue;
    }
    served++;
    const good = c.expect ? c.expect(status) : status >= 400 && status < 500 && (typeof code === 'string' || status === 431 || status === 414);
    if (!good) failures.push(`${c.name}: ${status} ${String(code ?? '')}`);
  }
  for (const s of await socketCases(Number(new URL(running.url).port))) {
    served++;
    if (!s.ok) failures.push(`${s.name}: ${s.status}`);
  }
  const health = await fetch(`${running.url}/healthz`);
  if (health.status !== 200) failures.push('server unhealthy after the corpus');
  await running.stop();
  return { ok: failures.length === 0 && served >= 60, figure: `${served - failures.length} of ${served} hostile requests answered as they should (no 5xx, no hang, 4xx with a code)`, details: failures };
}
