// Email through a real SMTP server run in-process (smtp-server): STARTTLS required before AUTH,
// credentials checked, and each message parsed back with mailparser. No mock of the mailer.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertsFixture, drain, type AlertsFixture } from './support.ts';

interface Delivered {
  mail: ParsedMail;
  user: string | undefined;
  secure: boolean;
}

let server: SMTPServer;
let port: number;
let delivered: Delivered[];
let f: AlertsFixture;

beforeEach(async () => {
  delivered = [];
  server = new SMTPServer({
    // smtp-server's built-in certificate; AUTH is refused until STARTTLS has run.
    allowInsecureAuth: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'alerts' && auth.password === 'smtp-password') return cb(null, { user: auth.username });
      return cb(new Error('invalid credentials'));
    },
    onData(stream, session, cb) {
      simpleParser(stream).then((mail) => {
        delivered.push({ mail, user: session.user as string | undefined, secure: session.secure });
        cb();
      }, cb);
    },
    logger: false,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
  f = await alertsFixture({
    SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_USER: 'alerts', SMTP_PASSWORD: 'smtp-password',
    SMTP_FROM: 'tracer@utility.example', SMTP_TLS_REJECT_UNAUTHORIZED: 'false',
  });
});
afterEach(async () => {
  await f.app.dispose();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('email output', () => {
  it('when a canary is called, then an English e-mail arrives over TLS with auth, in plain text and HTML, the caller name escaped', async () => {
    await f.addOutput({ kind: 'email', name: 'on-call mail', to: 'oncall@utility.example' });
    f.app.clock.advanceMinutes(11);

    await f.call('+966512345678', { CallerName: '<b>Nadir</b> & Co' });
    await drain(f.app);

    expect(delivered).toHaveLength(1);
    const { mail, user, secure } = delivered[0]!;
    expect({ user, secure }).toEqual({ user: 'alerts', secure: true });
    expect(mail.from?.text).toBe('tracer@utility.example');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('oncall@utility.example');
    expect(mail.subject).toBe('[high] Canary in channel CRM export called by +966512345678 (<b>Nadir</b> & Co) 11 min after planting');
    expect(mail.text).toContain('Canary in channel CRM export called by +966512345678 (<b>Nadir</b> & Co) 11 min after planting');
    expect(mail.text).toMatch(/Verdict now: (leaking|suspect|undetermined)/);
    expect(mail.text).toMatch(/Open in the tracer: https:\/\/tracer\.example\.org\/hits\/hit_/);
    expect(mail.html).toContain('&lt;b&gt;Nadir&lt;/b&gt; &amp; Co');
    expect(mail.html).not.toContain('<b>Nadir</b>');
    expect(mail.html).toContain('dir="ltr"');
    const attempts = f.app.services.alerts.deliveries({}).deliveries;
    expect(attempts).toEqual([expect.objectContaining({ outcome: 'delivered', httpStatus: 250 })]);
  });

  it('when the recipient reads Arabic, then the e-mail is in Arabic, right to left', async () => {
    await f.addOutput({ kind: 'email', name: 'arabic mail', to: 'oncall@utility.example', language: 'ar' });
    f.app.clock.advanceMinutes(11);

    await f.call('+966512345678', { CallerName: 'نادر لخدمات التسربات' });
    await drain(f.app);

    const { mail } = delivered[0]!;
    expect(mail.html).toContain('dir="rtl"');
    expect(mail.html).toContain('lang="ar"');
    expect(mail.text).toContain('كناري في القناة «CRM export» تلقّى اتصالاً من +966512345678 (نادر لخدمات التسربات) بعد 11 دقيقة من زرعه');
    expect(mail.text).toMatch(/الحكم الآن: \S+/);
    expect(mail.subject).toContain('كناري في القناة');
  });

  it('when the SMTP password is wrong, then the delivery fails with the server\'s answer recorded and no password in it', async () => {
    await f.app.dispose();
    f = await alertsFixture({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_USER: 'alerts', SMTP_PASSWORD: 'wrong-password', SMTP_TLS_REJECT_UNAUTHORIZED: 'false' });
    await f.addOutput({ kind: 'email', name: 'mail', to: 'oncall@utility.example' });

    const r = await f.app.services.alerts.test('mail');

    expect(r).toMatchObject({ ok: false, status: 535 });
    expect(JSON.stringify(r)).not.toContain('wrong-password');
    expect(delivered).toHaveLength(0);
  });
});
