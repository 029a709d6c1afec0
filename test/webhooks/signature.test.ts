// The signature check does each URL form the twilio SDK's validateRequest tries, once, and none for
// a signature that cannot be an HMAC-SHA1: checked against the SDK itself on the same inputs.
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { isTwilioSigned, plausibleSignature, urlVariants } from '../../src/webhooks/form.ts';

const TOKEN = 'test-auth-token-0123456789abcdef';
const params = { CallSid: 'CA123', From: '+966501112233', To: '+12025550100', CallerName: "O'Brien" };

describe('webhook signatures', () => {
  const urls = [
    'https://tracer.example.org/twilio/voice',
    'https://tracer.example.org:443/twilio/voice',
    "https://tracer.example.org/twilio/voice?tag=it's",
    'http://tracer.example.org:8080/twilio/voice?a=1&b=%20x',
  ];
  it('when Twilio signed any form of the URL the SDK accepts, then it is accepted as the SDK would, and forms are each tried once', () => {
    for (const configured of urls) {
      for (const signedFor of [configured, ...urlVariants(configured)]) {
        const sig = twilio.getExpectedTwilioSignature(TOKEN, signedFor, params);
        expect(isTwilioSigned(TOKEN, sig, configured, params), `${signedFor} for ${configured}`).toBe(twilio.validateRequest(TOKEN, sig, configured, params));
        expect(isTwilioSigned(TOKEN, sig, configured, params)).toBe(true);
      }
      const variants = urlVariants(configured);
      expect(new Set(variants).size).toBe(variants.length);
      expect(variants).not.toContain(configured);
    }
    // A URL with no port, no query and already normal has one other form (the port), not five.
    expect(urlVariants(urls[0]!)).toEqual(['https://tracer.example.org:443/twilio/voice']);
  });

  it('when the signature is wrong, malformed or absent, then it is refused; only a 28-character base64 one is hashed at all', () => {
    const wrong = twilio.getExpectedTwilioSignature('another-token-0123456789abcdef00', urls[0]!, params);
    expect(isTwilioSigned(TOKEN, wrong, urls[0]!, params)).toBe(false);
    for (const s of [undefined, '', 'Zm9yZ2Vk', `${wrong}x`, wrong.replace('=', '!')]) {
      expect(plausibleSignature(s)).toBe(false);
      expect(isTwilioSigned(TOKEN, s, urls[0]!, params)).toBe(false);
    }
    expect(plausibleSignature(wrong)).toBe(true);
  });
});

describe('a large forged body', () => {
  it('when a 60 kB body comes with a signature that cannot match, then 403, counted, its size in the sample, and the next request on the connection is served', async () => {
    const { buildTestApp } = await import('../support/app.ts');
    const http = await import('node:http');
    const app = buildTestApp();
    const server = http.createServer(app.http);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as import('node:net').AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string, signature: string) => new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/twilio/voice', method: 'POST', agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'x-twilio-signature': signature } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end(body);
    });
    try {
      const large = `CallSid=CA1&Pad=${'x'.repeat(60_000)}`;
      expect(await post(large, 'Zm9yZ2Vk')).toBe(403);
      expect(await post('CallSid=CA2', 'Zm9yZ2Vk')).toBe(403);
      app.services.securityEvents.flush();
      const events = app.services.securityEvents.page(10).events;
      expect(events.reduce((n, e) => n + e.count, 0)).toBe(2);
      expect(JSON.stringify(events.map((e) => e.sample))).toContain(`"tracerBodyNotRead":"${large.length} bytes"`);
      expect(app.services.db.prepare('SELECT count(*) FROM hits').pluck().get()).toBe(0);
    } finally {
      agent.destroy();
      await new Promise((r) => server.close(r));
      await app.dispose();
    }
  });
});
