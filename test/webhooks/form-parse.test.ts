// The webhook's own form decoding must give exactly what WHATWG's URLSearchParams gives (the
// signature is computed over it), and its UTF-8 check must refuse what a part-by-part check
// refuses: both against the reference on hostile and ordinary bodies.
import { isUtf8 } from 'node:buffer';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { isTwilioSigned, isUtf8Form, parseForm, type FormParams } from '../../src/webhooks/form.ts';

function reference(body: string): FormParams {
  const out: FormParams = Object.create(null);
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

// The per-part check this one replaced: each '&'-part's escapes decoded and asked for UTF-8.
function referenceUtf8(body: Buffer): boolean {
  if (!isUtf8(body)) return false;
  return body.toString('latin1').split('&').every((part) => {
    const bytes: number[] = [];
    for (let i = 0; i < part.length; i++) {
      const hex = part.slice(i + 1, i + 3);
      if (part[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else bytes.push(part.charCodeAt(i));
    }
    return isUtf8(Buffer.from(bytes));
  });
}

const BODIES = [
  '', '&', '&&a=1&&', 'a', 'a=', '=', '=v', 'a=1&a=2&a=1', '?a=1', '??a=1', 'a=1?b',
  'CallerName=O%27Brien+%26+Sons&From=%2B966501112233', 'k=%', 'k=%4', 'k=%zz', 'k=%%41', 'k=%41%', 'k=a%2', 'k=%2541',
  'k=%C3%A9', 'k=%C3', 'k=%C3&x=%A9', 'k=%E2%82%AC%F0%9F%98%80', 'k=%ED%A0%80', 'k=%FF%FE', 'k=%C0%AF',
  'n%61me=v%61lue', 'a+b=c+d', 'a=b=c', '%3D=%26', '__proto__=x&constructor=y&toString=z', 'é=ü&日本=語', 'x=\uD800y', 'x=\uDC00',
  `Pad=${'x'.repeat(3000)}&From=%2B1`, 'a=1;b=2', 'a=%0A%0D%00', 'x=%c3%a9&y=%C3%A9',
];

describe('webhook form decoding', () => {
  it('when a body is decoded, then every parameter and repeated value is what URLSearchParams gives', () => {
    for (const body of BODIES) expect(parseForm(body, 1000), body).toEqual(reference(body));
  });

  it('when a body has more parameters than allowed, then it is refused, and empty parts do not count', () => {
    expect(parseForm(Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&'), 10)).toBeNull();
    expect(parseForm(`${Array.from({ length: 10 }, (_, i) => `k${i}=v`).join('&')}&&&`, 10)).not.toBeNull();
  });

  it('when parts have no "=" before a late one, then the parse stays linear (no search past each part)', () => {
    const body = `${'a&'.repeat(40_000)}z=1`;
    const parsed = parseForm(body, 100_000)!;
    expect(parsed.z).toBe('1');
    expect((parsed.a as string[]).length).toBe(40_000);
  });

  it('when a body or one of its escapes is not UTF-8, then the check says so as the part-by-part check did', () => {
    const raw = [...BODIES.map((b) => Buffer.from(b)), Buffer.from([0x6b, 0x3d, 0xc3]), Buffer.from([0x6b, 0x3d, 0xc3, 0xa9]),
      Buffer.from('k=%C3%26%A9'), Buffer.from([0x6b, 0x3d, 0xe2, 0x25, 0x38, 0x32, 0x25, 0x41, 0x43]), Buffer.from('k=%E2%82&%AC')];
    for (const body of raw) expect(isUtf8Form(body), body.toString('latin1')).toBe(referenceUtf8(body));
    expect(isUtf8Form(Buffer.from('k=%C3'))).toBe(false);
    expect(isUtf8Form(Buffer.from('k=%E2%82%AC'))).toBe(true);
  });

  it('when the parameters repeat keys, values or carry non-ASCII text, then the signature is accepted exactly when the SDK accepts it', () => {
    const token = 'test-auth-token-0123456789abcdef';
    const url = 'https://tracer.example.org/twilio/sms';
    for (const body of BODIES) {
      const params = parseForm(body, 1000)!;
      const sig = twilio.getExpectedTwilioSignature(token, url, params as Record<string, any>);
      expect(isTwilioSigned(token, sig, url, params), body).toBe(true);
      expect(twilio.validateRequest(token, sig, url, params as Record<string, any>)).toBe(true);
      const other = twilio.getExpectedTwilioSignature(token, url, { ...params, Extra: '1' });
      expect(isTwilioSigned(token, other, url, params), body).toBe(twilio.validateRequest(token, other, url, params as Record<string, any>));
    }
  });
});
