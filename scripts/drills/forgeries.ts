// A corpus of forgeries: each refused (403, or 400 for bytes that are not text), none stored.
import request from 'supertest';
import twilio from 'twilio';
import { callParams, localTracer, sign, type DrillOptions, type DrillResult } from './support.ts';

const PUBLIC = 'https://tracer.drill.example';

type Forgery = { name: string; path: string; params: Record<string, string>; signature?: string; raw?: string; headers?: Record<string, string> };

function corpus(): Forgery[] {
  const p = callParams('+966593300150', '+966501112233');
  const good = sign(`${PUBLIC}/twilio/voice`, p);
  const sms = { AccountSid: p.AccountSid!, MessageSid: `SM${'a'.repeat(32)}`, From: '+966501112233', To: '+966593300150', Body: 'hi' };
  return [
    { name: 'no signature', path: '/twilio/voice', params: p },
    { name: 'empty signature', path: '/twilio/voice', params: p, signature: '' },
    { name: 'random signature', path: '/twilio/voice', params: p, signature: 'Zm9yZ2VkIHNpZ25hdHVyZQ==' },
    { name: 'signature with other auth token', path: '/twilio/voice', params: p, signature: twilio.getExpectedTwilioSignature('another-token-0123456789', `${PUBLIC}/twilio/voice`, p) },
    { name: 'signed for another host', path: '/twilio/voice', params: p, signature: sign('https://evil.example/twilio/voice', p) },
    { name: 'signed for http instead of https', path: '/twilio/voice', params: p, signature: sign('http://tracer.drill.example/twilio/voice', p) },
    { name: 'voice signature replayed on /sms', path: '/twilio/sms', params: p, signature: good },
    { name: 'voice signature replayed on /status', path: '/twilio/status', params: p, signature: good },
    { name: 'From altered after signing', path: '/twilio/voice', params: { ...p, From: '+966500000000' }, signature: good },
    { name: 'To altered after signing', path: '/twilio/voice', params: { ...p, To: '+966593300151' }, signature: good },
    { name: 'CallerName added after signing', path: '/twilio/voice', params: { ...p, CallerName: 'X' }, signature: good },
    { name: 'parameter removed after signing', path: '/twilio/voice', params: (({ Direction: _d, ...rest }) => rest)(p), signature: good },
    { name: 'query added to a signed URL', path: '/twilio/voice?x=1', params: p, signature: good },
    { name: 'signature in lower case', path: '/twilio/voice', params: p, signature: good.toLowerCase() },
    { name: 'signature truncated', path: '/twilio/voice', params: p, signature: good.slice(0, 20) },
    { name: 'signature as hex', path: '/twilio/voice', params: p, signature: Buffer.from(good, 'base64').toString('hex') },
    { name: 'duplicate From smuggled', path: '/twilio/voice', params: p, signature: good, raw: `${new URLSearchParams(p)}&From=%2B966500000000` },
    { name: 'SMS body altered', path: '/twilio/sms', params: { ...sms, Body: 'changed' }, signature: sign(`${PUBLIC}/twilio/sms`, sms) },
    { name: 'SMS unsigned', path: '/twilio/sms', params: sms },
    { name: 'status unsigned', path: '/twilio/status', params: { AccountSid: p.AccountSid!, CallSid: p.CallSid!, CallStatus: 'completed' } },
    { name: 'SHA-256 settings header, SHA-1 signature of other params', path: '/twilio/voice', params: { ...p, From: '+1' }, signature: good, headers: { 'X-Twilio-Webhooks-Signature-Settings': 'algorithm=HMAC_SHA256' } },
    { name: 'non-UTF-8 body, unsigned', path: '/twilio/voice', params: p, raw: `${new URLSearchParams(p)}&CallerName=%FF%FE`, signature: good },
    { name: 'signature header twice', path: '/twilio/voice', params: { ...p, From: '+2' }, signature: `${good}, ${good}` },
  ];
}

export async function run(_o: DrillOptions): Promise<DrillResult> {
  const t = localTracer();
  const failures: string[] = [];
  const list = corpus();
  for (const f of list) {
    const req = request(t.app.http).post(f.path).type('form');
    if (f.signature !== undefined) req.set('X-Twilio-Signature', f.signature);
    for (const [k, v] of Object.entries(f.headers ?? {})) req.set(k, v);
    const res = await req.send(f.raw ?? new URLSearchParams(f.params).toString());
    if (res.status !== 403 && res.status !== 400) failures.push(`${f.name}: answered ${res.status}`);
  }
  const stored = t.app.services.db.prepare('SELECT (SELECT count(*) FROM hits) + (SELECT count(*) FROM call_status_events)').pluck().get() as number;
  if (stored > 0) failures.push(`${stored} rows stored`);
  t.app.services.securityEvents.flush();
  const counted = t.app.services.db.prepare('SELECT coalesce(sum(count), 0) FROM security_events').pluck().get() as number;
  await t.dispose();
  return {
    ok: failures.length === 0 && counted === list.length,
    figure: `${list.length - failures.length} of ${list.length} forgeries refused, ${stored} rows stored, ${counted} counted as security events`,
    details: failures,
  };
}
