import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, smsParams, type TestApp } from '../support/app.ts';
import { csrfOf, get, HOSTILE, Jar, post, signIn } from './support.ts';

const FIRM = '+966112345678';

describe('the dashboard over HTTP', () => {
  let app: TestApp;
  let channelId: string;
  let hitId: string;
  const jars: Record<string, Jar> = {};

  beforeAll(async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A <b>night</b>', kind: 'call-centre-vendor', dimensions: { shift: 'nights' } });
    channelId = ch.id;
    const canaries = await plant(app, [ch.id], 2);
    await request(app.http).post('/api/v1/campaigns').set(bearer(app.tokens.seeder)).send({ name: 'Which path?', channelIds: [ch.id], design: 'dedicated', budget: 1 });
    app.clock.advanceMinutes(7);
    const call = callParams(canaries[0]!.phoneNumber, FIRM, { CallerName: HOSTILE.callerName, ...HOSTILE.rawExtra });
    expect((await signedWebhook(app, '/twilio/voice', call)).status).toBe(200);
    expect((await signedWebhook(app, '/twilio/sms', smsParams(canaries[1]!.phoneNumber, FIRM, HOSTILE.body))).status).toBe(200);
    hitId = (await request(app.http).get('/api/v1/hits').set(bearer(app.tokens.investigator))).body.hits[0].id;
    for (const role of ['admin', 'seeder', 'investigator'] as const) jars[role] = await signIn(app, { token: app.tokens[role] });
  });
  afterAll(async () => app?.dispose());

  const PAGES = () => ['/', '/channels', `/channels/${channelId}`, '/hits', `/hits/${hitId}`, '/parties', '/campaigns', '/numbers', '/evidence', '/cases', '/access'];
  const ALLOWED: Record<string, string[]> = {
    admin: ['/', '/channels', '/channels/', '/hits', '/hits/', '/parties', '/campaigns', '/numbers', '/evidence', '/cases', '/access'],
    seeder: ['/', '/channels', '/channels/', '/campaigns', '/numbers'],
    investigator: ['/', '/channels', '/channels/', '/hits', '/hits/', '/parties', '/evidence', '/cases'],
  };
  const allowed = (role: string, url: string) => ALLOWED[role]!.some((p) => (p.endsWith('/') && p !== '/' ? url.startsWith(p) : url === p));

  it('when signed out, then every page redirects to /login, whose form has a token field and a CSRF token', async () => {
    for (const url of PAGES()) {
      const res = await request(app.http).get(url);
      expect(res.status, url).toBe(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    const login = await request(app.http).get('/login');
    expect(login.text).toMatch(/<input name="token"/);
    expect(csrfOf(login.text)).toMatch(/^[\w-]{20,}$/);
  });

  it('when each role opens each page, then the pages it may see render and the others answer 403, and its menu lists only what it may open', async () => {
    for (const role of ['admin', 'seeder', 'investigator']) {
      for (const url of PAGES()) {
        const res = await get(app, jars[role]!, url);
        expect(res.status, `${role} ${url}`).toBe(allowed(role, url) ? 200 : 403);
        expect(res.headers['content-type']).toMatch(/text\/html/);
      }
      const home = await get(app, jars[role]!, '/');
      const menu = /<nav aria-label="menu">([\s\S]*?)<\/nav>/.exec(home.text)![1]!;
      const links = [...menu.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
      expect(links, role).toEqual(PAGES().filter((p) => !/\/(channels|hits)\/./.test(p) && allowed(role, p)));
    }
  });

  it('when any page is rendered, then every form that changes state carries the CSRF token and no URL does', async () => {
    for (const url of PAGES()) {
      const html = (await get(app, jars.admin!, url)).text;
      const forms = [...html.matchAll(/<form method="(\w+)"[^>]*>([\s\S]*?)<\/form>/g)];
      for (const [, method, inner] of forms) {
        if (method === 'post') expect(inner, url).toContain(`name="_csrf" value="${csrfOf(html)}"`);
        else expect(inner, url).not.toContain('_csrf');
      }
      expect(forms.some(([, method]) => method === 'post'), url).toBe(true); // at least sign-out
    }
  });

  it('when a page reads the canary registry, then the read is audited with who read it; an investigator sees no plantings', async () => {
    const before = app.services.audit.list().length;
    const seeder = await get(app, jars.seeder!, `/channels/${channelId}`);
    expect(seeder.text).toMatch(/class="plantings"/);
    const reads = app.services.audit.list();
    expect(reads.length).toBe(before + 1);
    expect(reads[0]).toMatchObject({ role: 'seeder', action: 'dashboard-channel-plantings', subject: channelId });
    await get(app, jars.seeder!, '/numbers');
    expect(app.services.audit.list()[0]).toMatchObject({ role: 'seeder', action: 'dashboard-list-numbers' });
    const inv = await get(app, jars.investigator!, `/channels/${channelId}?lang=en&digits=latn`);
    expect(inv.text).toContain('<th scope="row">&lt; 15 min</th><td>2</td>'); // both canaries first rung 7 minutes after exposure
    expect(inv.text).not.toMatch(/class="plantings"/);
    expect(inv.text).toMatch(/class="reasons"/);
    expect(app.services.audit.list()[0]).not.toMatchObject({ role: 'investigator' });
  });

  it('when a page is served, then it carries a CSP without inline script and no caller text appears unescaped', async () => {
    const res = await get(app, jars.admin!, `/hits/${hitId}`);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.text).not.toMatch(/<script>alert|<img src=x|<svg onload|<iframe|<style>body|<a href="javascript|onmouseover="alert/);
    expect(res.text).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    expect(res.text).toContain('<span class="ctl">U+202E</span>');
    expect(res.text).toContain('Z'.repeat(20000)); // every raw parameter, as received, however long
    expect([...res.text.matchAll(/<script\b[^>]*>/g)].every((m) => / src="\/assets\/[\w.]+\.js"/.test(m[0]))).toBe(true);
  });

  it('when the sign-in form is posted without its CSRF token, or with a wrong token, then no session is opened', async () => {
    const jar = new Jar();
    await get(app, jar, '/login');
    const noCsrf = await post(app, jar, '/login', { token: app.tokens.admin });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.headers['set-cookie']?.toString() ?? '').not.toMatch(/tracer_session/);
    const page = await get(app, jar, '/login');
    const wrong = await post(app, jar, '/login', { _csrf: csrfOf(page.text), token: 'ctr_not-a-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toMatch(/<p class="notice" role="alert">/);
    expect(wrong.headers['set-cookie']?.toString() ?? '').not.toMatch(/tracer_session/);
  });

  it('when signed in, then the cookie is HttpOnly, SameSite=Strict, Secure under https, and expires', async () => {
    const jar = new Jar();
    const page = await get(app, jar, '/login');
    const res = await post(app, jar, '/login', { _csrf: csrfOf(page.text), token: app.tokens.investigator, next: '/hits' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/hits');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('__Host-tracer_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; Max-Age=28800; Path=\/; Expires=/);
  });

  it('when the session outlives its expiry, then the pages send the reader back to sign in', async () => {
    const jar = await signIn(app, { token: app.tokens.investigator });
    expect((await get(app, jar, '/hits')).status).toBe(200);
    app.clock.advanceMinutes(8 * 60 + 1);
    const res = await get(app, jar, '/hits');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
    app.clock.advanceMinutes(-(8 * 60 + 1));
  });

  it('when signing out, then the form needs the CSRF token, and afterwards the old cookie opens nothing', async () => {
    const jar = await signIn(app, { token: app.tokens.admin });
    const stolen = jar.header();
    const page = await get(app, jar, '/');
    expect((await post(app, jar, '/logout', {})).status).toBe(403);
    expect((await post(app, jar, '/logout', { _csrf: 'x'.repeat(43) })).status).toBe(403);
    const out = await post(app, jar, '/logout', { _csrf: csrfOf(page.text) });
    expect(out.status).toBe(303);
    const replay = await request(app.http).get('/').set('Cookie', stolen);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toMatch(/^\/login/);
  });

  it('when a token is revoked, then the sessions opened with it end', async () => {
    const t = app.services.tokens.create({ role: 'investigator', label: 'temp' });
    const jar = await signIn(app, { token: t.token });
    expect((await get(app, jar, '/hits')).status).toBe(200);
    app.services.tokens.revoke(t.id);
    expect((await get(app, jar, '/hits')).status).toBe(303);
  });

  it('when an admin sets up a password for a user, then it is stored with scrypt, the user signs in with it in the role given, five wrong guesses lock the name for 15 minutes, and disabling the user ends the sessions', async () => {
    const admin = jars.admin!;
    const page = await get(app, admin, '/access');
    expect((await post(app, admin, '/access/users', { username: 'noura', role: 'investigator', password: 'correct horse battery' })).status).toBe(403);
    const short = await post(app, admin, '/access/users', { _csrf: csrfOf(page.text), username: 'noura', role: 'investigator', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('password: at least 12 characters');
    const made = await post(app, admin, '/access/users', { _csrf: csrfOf(page.text), username: 'noura', role: 'investigator', password: 'correct horse battery' });
    const twice = await post(app, admin, '/access/users', { _csrf: csrfOf(page.text), username: 'noura', role: 'admin', password: 'another long password' });
    expect(twice.status).toBe(409);
    expect(made.status).toBe(303);
    const stored = app.services.db.prepare('SELECT password_hash FROM dashboard_users WHERE username = ?').pluck().get('noura') as string;
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain('horse');
    const login = await request(app.http).get('/login');
    expect(login.text).toMatch(/<input name="password" type="password"/);
    await expect(signIn(app, { username: 'noura', password: 'wrong password here' })).rejects.toThrow(/401/);
    const jar = await signIn(app, { username: 'noura', password: 'correct horse battery' });
    expect((await get(app, jar, '/hits')).status).toBe(200);
    expect((await get(app, jar, '/numbers')).status).toBe(403);
    for (let i = 0; i < 5; i++) await expect(signIn(app, { username: 'noura', password: `guess number ${i}` })).rejects.toThrow(/401/);
    await expect(signIn(app, { username: 'noura', password: 'correct horse battery' })).rejects.toThrow(/401/); // locked out
    app.clock.advanceMinutes(16);
    const noura = await signIn(app, { username: 'noura', password: 'correct horse battery' });
    const id = app.services.db.prepare('SELECT id FROM dashboard_users WHERE username = ?').pluck().get('noura') as string;
    const list = await get(app, admin, '/access');
    expect((await post(app, admin, `/access/users/${id}/disable`, { _csrf: csrfOf(list.text) })).status).toBe(303);
    expect((await get(app, noura, '/hits')).status).toBe(303); // disabling ends her sessions at once
  });

  it('when ?lang=ar is asked for, then the page is Arabic, right-to-left, with Arabic-Indic digits unless Latin ones are chosen', async () => {
    const jar = jars.investigator!;
    const ar = await get(app, jar, '/channels?lang=ar');
    expect(ar.text).toMatch(/<html lang="ar" dir="rtl">/);
    expect(ar.text).toContain('القنوات');
    expect(ar.text).toMatch(/[٠-٩]/);
    const hit = await get(app, jar, `/hits/${hitId}`);
    expect(hit.text).toContain(`<bdi dir="ltr" class="u">${FIRM}</bdi>`); // a number stays "+966…" in a right-to-left page
    expect(hit.text).toMatch(/<bdi dir="auto" class="u">&lt;script&gt;/); // text decides its own direction
    const again = await get(app, jar, '/hits'); // remembered
    expect(again.text).toMatch(/dir="rtl"/);
    const latin = await get(app, jar, '/hits?digits=latn');
    expect(latin.text).not.toMatch(/<td><a href="\/hits\/[^"]+">[^<]*[٠-٩]/);
    const en = await get(app, jar, '/hits?lang=en&tz=Asia/Riyadh');
    expect(en.text).toMatch(/<html lang="en" dir="ltr">/);
    expect(en.text).toMatch(/12:07:00/); // 09:07 UTC, shown in Riyadh time
  });

  it('when the hits are filtered and paged, then only the matching hits show and the older page follows by cursor', async () => {
    const jar = jars.investigator!;
    const sms = await get(app, jar, '/hits?kind=sms');
    expect(sms.text.match(/<tr class="hit"/g)).toHaveLength(1);
    const byCaller = await get(app, jar, `/hits?caller=${encodeURIComponent(FIRM)}&channelId=${channelId}`);
    expect(byCaller.text.match(/<tr class="hit"/g)).toHaveLength(2);
    const none = await get(app, jar, '/hits?classification=control');
    expect(none.text).not.toMatch(/<tr class="hit"/);
    const bad = await get(app, jar, '/hits?since=yesterday');
    expect(bad.status).toBe(400);
  });

  it('when a number is missing from the account and a release failed, then security staff are warned on the overview and investigators are not', async () => {
    const db = app.services.db;
    const [a, b] = db.prepare('SELECT id FROM canary_numbers ORDER BY id LIMIT 2').pluck().all() as string[];
    db.prepare('UPDATE canary_numbers SET missing_since = ? WHERE id = ?').run('2026-11-28T09:00:00.000Z', a);
    db.prepare('UPDATE canary_numbers SET release_error = ? WHERE id = ?').run('20404 not found', b);
    const seeder = await get(app, jars.seeder!, '/?lang=en');
    expect(seeder.text).toMatch(/data-warning="missing-numbers"><a href="\/numbers">1 numbers are missing/);
    expect(seeder.text).toMatch(/data-warning="release-failures"/);
    expect(seeder.text).toMatch(/Which path\?/); // the open campaign
    const inv = await get(app, jars.investigator!, '/?lang=en');
    expect(inv.text).not.toMatch(/data-warning="(missing-numbers|release-failures)"/);
    db.prepare('UPDATE canary_numbers SET missing_since = NULL, release_error = NULL WHERE id IN (?, ?)').run(a, b);
  });

  it('when the campaigns page is opened, then each campaign shows its design, progress and channels', async () => {
    const res = await get(app, jars.seeder!, '/campaigns?lang=en');
    expect(res.text).toMatch(/Which path\?/);
    expect(res.text).toMatch(/Design: dedicated · Status: running/);
    expect(res.text).toMatch(/Progress: 1 Canaries/);
    expect(res.text).toContain(`/channels/${channelId}`);
  });

  it('when an alert output was disabled for failing, then the overview warns of it', async () => {
    const before = await get(app, jars.investigator!, '/?lang=en');
    expect(before.text).not.toMatch(/data-warning="alert-outputs-disabled"/);
    app.services.db.prepare(`INSERT INTO alert_outputs (id, name, kind, url, min_severity, enabled, consecutive_failures, disabled_at, created_at)
      VALUES ('out_t', 'siem', 'webhook', 'https://siem.example/x', 'info', 0, 5, ?, ?)`).run(new Date().toISOString(), new Date().toISOString());
    const res = await get(app, jars.investigator!, '/?lang=en');
    expect(res.text).toMatch(/data-warning="alert-outputs-disabled"/);
  });

  it('when a page needs the attribution report, then it asks the off-thread one and never decodes on the event loop the webhooks answer on', async () => {
    const s = app.services as { report: unknown; reportOffThread: (...a: any[]) => Promise<unknown> };
    const onLoop = s.report;
    const offThread = s.reportOffThread;
    let asked = 0;
    s.report = () => { throw new Error('the dashboard decoded on the main thread'); };
    s.reportOffThread = (...a) => (asked++, offThread(...a));
    try {
      for (const url of ['/', '/channels', `/channels/${channelId}`, '/campaigns']) {
        const before = asked;
        expect((await get(app, jars.admin!, url)).status, url).toBe(200);
        expect(asked, url).toBeGreaterThan(before);
      }
    } finally {
      s.report = onLoop;
      s.reportOffThread = offThread;
    }
  });

  it('when forged webhooks arrive in a burst, then the overview warns of it', async () => {
    for (let i = 0; i < 6; i++) {
      await request(app.http).post('/twilio/voice').type('form').set('X-Twilio-Signature', 'forged').send({ CallSid: `CA${i}` });
    }
    app.services.securityEvents.flush(); // forgeries are counted in memory and written once a second
    const res = await get(app, jars.investigator!, '/?lang=en');
    expect(res.text).toMatch(/data-warning="forged-webhooks"/);
  });
});
