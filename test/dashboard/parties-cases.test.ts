// The parties and cases pages over HTTP: roles, the registry read and its audit, CSRF, and every
// form act landing in the evidence log through the areas' own services.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { buildTestApp, signedWebhook, type TestApp } from '../support/app.ts';
import { csrfOf, get, HOSTILE, Jar, post, seedPartiesAndCase, signIn } from './support.ts';

describe('the parties and cases pages over HTTP', () => {
  let app: TestApp;
  let seed: Awaited<ReturnType<typeof seedPartiesAndCase>>;
  const jars: Record<string, Jar> = {};
  const evidenceAbout = (subject: string) => app.services.evidence.list({ subject, limit: 1000 });

  beforeAll(async () => {
    app = buildTestApp();
    seed = await seedPartiesAndCase(app, (p, params) => signedWebhook(app, p, params));
    for (const role of ['admin', 'seeder', 'investigator'] as const) jars[role] = await signIn(app, { token: app.tokens[role] });
  }, 60_000);
  afterAll(async () => app?.dispose());

  it('when the tracer has proposed a party, then the seed holds one accepted and one proposed', () => {
    expect(seed.proposed).toHaveLength(1);
    expect(app.services.parties.get(seed.proposed[0]!).numbers).toEqual(['+966500000101', '+966500000102']);
  });

  it('when each role opens the parties and cases pages, then admins and investigators see them and seeders get 403', async () => {
    const urls = ['/parties', `/parties/${seed.firmParty}`, '/cases', `/cases/${seed.caseId}`];
    for (const role of ['admin', 'investigator', 'seeder']) {
      for (const url of urls) {
        const res = await get(app, jars[role]!, `${url}?lang=en`);
        expect(res.status, `${role} ${url}`).toBe(role === 'seeder' ? 403 : 200);
        if (role === 'seeder') expect(res.text).toContain('Your role may not see this page.');
      }
    }
    expect((await get(app, jars.investigator!, '/parties/pty_nope')).status).toBe(404);
    expect((await get(app, jars.investigator!, '/cases/case_nope')).status).toBe(404);
  });

  it('when the parties list is read, then each party shows its status, numbers, calls, SMS, implicated channels with probability, and first and last contact; filters narrow it', async () => {
    const res = await get(app, jars.investigator!, '/parties?lang=en&digits=latn&tz=UTC');
    const row = new RegExp(`<tr class="party" data-party="${seed.firmParty}">([\\s\\S]*?)</tr>`).exec(res.text)![1]!;
    const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
    expect(cells[0]).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    expect(cells[0]).toContain('<span class="ctl">U+202E</span>');
    expect(cells[1]).toContain('accepted');
    expect(cells.slice(2, 5)).toEqual(['2', '3', '1']); // two numbers, three calls, one SMS
    expect(cells[5]).toContain(`href="/channels/${seed.channelA}"`);
    expect(cells[5]).toMatch(/\d+(\.\d)?%/); // the firm is channel A's decoded party: its probability
    expect(cells[6]).toContain('28 Nov 2026, 09:09:00');
    expect(cells[7]).toContain('28 Nov 2026');
    const proposed = await get(app, jars.investigator!, '/parties?status=proposed');
    expect(proposed.text.match(/<tr class="party"/g)).toHaveLength(1);
    expect(proposed.text).toContain(`data-party="${seed.proposed[0]}"`);
    const byNumber = await get(app, jars.investigator!, `/parties?q=${encodeURIComponent('+966112345679')}`);
    expect(byNumber.text.match(/<tr class="party"/g)).toHaveLength(1);
    const byName = await get(app, jars.investigator!, `/parties?q=${encodeURIComponent('LEAK finders')}`);
    expect(byName.text.match(/<tr class="party"/g)).toHaveLength(1);
    expect(byName.text).toContain(`data-party="${seed.proposed[0]}"`);
    const arabicDigits = await get(app, jars.investigator!, `/parties?q=${encodeURIComponent('٥٠٠٠٠٠١٠١')}`);
    expect(arabicDigits.text).toContain(`data-party="${seed.proposed[0]}"`);
    const byChannel = await get(app, jars.investigator!, `/parties?channelId=${seed.channelB}`);
    expect(byChannel.text).not.toMatch(/<tr class="party"/);
    expect((await get(app, jars.investigator!, '/parties?status=bogus')).status).toBe(400);
    expect((await get(app, jars.investigator!, '/parties?cursor=not-a-cursor')).status).toBe(400);
  });

  it('when an admin opens a party, then the canaries it reached are listed and the read is audited as the API audits it; an investigator sees only their count and leaves no audit row', async () => {
    const before = app.services.audit.list().length;
    const admin = await get(app, jars.admin!, `/parties/${seed.firmParty}?lang=en`);
    expect(admin.text).toMatch(/class="canaries"/);
    const reads = app.services.audit.list();
    expect(reads.length).toBe(before + 1);
    expect(reads[0]).toMatchObject({ role: 'admin', action: 'party-canaries', subject: seed.firmParty });
    // The API route records the same row for the same read.
    await request(app.http).get(`/api/v1/parties/${seed.firmParty}`).set({ Authorization: `Bearer ${app.tokens.admin}` });
    const api = app.services.audit.list()[0]!;
    expect({ action: api.action, subject: api.subject, role: api.role }).toEqual({ action: reads[0]!.action, subject: reads[0]!.subject, role: reads[0]!.role });

    const inv = await get(app, jars.investigator!, `/parties/${seed.firmParty}?lang=en&digits=latn`);
    expect(inv.text).not.toMatch(/class="canaries"/);
    expect(inv.text).toMatch(/<dt>Canaries reached<\/dt><dd>3<\/dd>/);
    expect(app.services.audit.list().length).toBe(before + 2);
    for (const c of app.services.db.prepare('SELECT id FROM canaries').pluck().all() as string[]) expect(inv.text).not.toContain(c);
  });

  it('when a party page is read, then it shows numbers, implicated channels with access pattern in words, calls and SMS escaped and isolated, active hours and days, grounds and the evidence-log acts', async () => {
    const res = await get(app, jars.investigator!, `/parties/${seed.firmParty}?lang=en&digits=latn`);
    expect(res.text).toContain('<bdi dir="ltr" class="u tel">+966112345678</bdi>');
    expect(res.text).toMatch(new RegExp(`<tr data-channel="${seed.channelA}">[\\s\\S]*?class="access a-(live|same-day|batch|unknown)"`));
    expect(res.text).toMatch(/first contacts? /); // the access pattern's own words
    expect(res.text.match(/<tr class="hit"/g)).toHaveLength(4);
    expect(res.text).not.toMatch(/<script>alert|<img src=x|<svg onload|<iframe|<style>body|<a href="javascript/);
    expect(res.text).toMatch(/<bdi dir="auto" class="u">&lt;script&gt;alert\(&quot;name&quot;\)/);
    expect(res.text.match(/<canvas data-chart=/g)).toHaveLength(2);
    // Calls at 09:09, 09:38 and 10:27 UTC and the SMS at 10:27: two in each hour, on a Saturday.
    expect(res.text).toContain('<th scope="row">09:00</th><td>2</td>');
    expect(res.text).toContain('<th scope="row">10:00</th><td>2</td>');
    expect(res.text).toContain('<th scope="row">Saturday</th><td>4</td>');
    expect(res.text).toContain('<li data-ground="investigator">grouped by an investigator');
    expect(res.text).toMatch(/<tr data-kind="party-created">/);
    const proposed = await get(app, jars.investigator!, `/parties/${seed.proposed[0]}?lang=en`);
    expect(proposed.text).toMatch(/<li data-ground="caller-name">the same caller name — Shared: /);
    expect(proposed.text).toMatch(/<tr data-kind="party-proposed">/);
  });

  it('when the parties and cases pages are rendered, then every form that changes state carries the session\'s CSRF token and no GET form does', async () => {
    for (const url of ['/parties', `/parties/${seed.firmParty}`, `/parties/${seed.proposed[0]}`, '/cases', `/cases/${seed.caseId}`]) {
      const html = (await get(app, jars.investigator!, url)).text;
      const forms = [...html.matchAll(/<form method="(\w+)" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
      const posts = forms.filter(([, method]) => method === 'post').map(([, , action]) => action);
      expect(posts.length, url).toBeGreaterThanOrEqual(2); // sign-out and at least one act
      for (const [, method, action, inner] of forms) {
        if (method === 'post') expect(inner, `${url} ${action}`).toContain(`name="_csrf" value="${csrfOf(html)}"`);
        else expect(inner, `${url} ${action}`).not.toContain('_csrf');
      }
    }
  });

  it('when an investigator accepts, renames and notes a party through the forms, then each act is in the evidence log with who did it; without the CSRF token nothing is done', async () => {
    const id = seed.proposed[0]!;
    const jar = jars.investigator!;
    const page = await get(app, jar, `/parties/${id}`);
    const csrf = csrfOf(page.text);
    const entries = () => evidenceAbout(id).length;
    const n0 = entries();
    for (const [path, form] of [['accept', {}], ['rename', { name: 'x' }], ['notes', { text: 'x' }], ['merge', { from: seed.firmParty }], ['split', { numbers: '+966500000101', name: 'x' }]] as const) {
      expect((await post(app, jar, `/parties/${id}/${path}`, form)).status, path).toBe(403);
      expect((await post(app, jar, `/parties/${id}/${path}`, { ...form, _csrf: 'x'.repeat(43) })).status, path).toBe(403);
    }
    expect(entries()).toBe(n0);
    expect(app.services.parties.get(id).status).toBe('proposed');
    expect((await post(app, jars.seeder!, `/parties/${id}/accept`, { _csrf: csrfOf((await get(app, jars.seeder!, '/')).text) })).status).toBe(403);

    const accepted = await post(app, jar, `/parties/${id}/accept`, { _csrf: csrf });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.location).toBe(`/parties/${id}`);
    expect(app.services.parties.get(id).status).toBe('accepted');
    expect((await post(app, jar, `/parties/${id}/rename`, { _csrf: csrf, name: HOSTILE.callerName })).status).toBe(303);
    expect((await post(app, jar, `/parties/${id}/notes`, { _csrf: csrf, text: HOSTILE.body.slice(0, 3900) })).status).toBe(303);
    const tok = app.services.db.prepare(`SELECT principal_id FROM dashboard_sessions WHERE role = 'investigator' ORDER BY created_at LIMIT 1`).pluck().get() as string;
    const log = evidenceAbout(id).slice(n0);
    expect(log.map((e) => e.kind)).toEqual(['party-accepted', 'party-renamed', 'party-note']);
    for (const e of log) expect((e.payload as { actor: string }).actor).toBe(`investigator:${tok}`);
    expect((log[2]!.payload as { text: string }).text).toBe(HOSTILE.body.slice(0, 3900));

    const bad = await post(app, jar, `/parties/${id}/rename`, { _csrf: csrf, name: '   ' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/<p class="notice" role="alert">Not done:/);
    expect(bad.text).toContain(`<form method="get" action="/parties/${id}" class="tz">`); // the switches lead back to the page, not the POST address
    expect(bad.text).toMatch(new RegExp(`href="/parties/${id}\\?lang=ar" [^>]*id="lang-switch"`));
    expect(evidenceAbout(id)).toHaveLength(n0 + 3);

    const after = await get(app, jar, `/parties/${id}?lang=en`);
    expect(after.text).toMatch(/<ul class="notes"><li><span class="meta">[^<]+ · <bdi dir="auto" class="u">investigator:/);
    expect(after.text).not.toMatch(/<a href="javascript|<svg onload|<style>body/);
  });

  it('when an investigator splits a number off and merges it back, then both acts are logged and the numbers move', async () => {
    const jar = jars.investigator!;
    const page = await get(app, jar, `/parties/${seed.firmParty}`);
    const csrf = csrfOf(page.text);
    const split = await post(app, jar, `/parties/${seed.firmParty}/split`, { _csrf: csrf, numbers: seed.firm[1]!, name: 'Second desk' });
    expect(split.status).toBe(303);
    const newId = /\/parties\/(.+)$/.exec(split.headers.location!)![1]!;
    expect(app.services.parties.get(newId).numbers).toEqual([seed.firm[1]]);
    const merged = await post(app, jar, `/parties/${seed.firmParty}/merge`, { _csrf: csrf, from: newId });
    expect(merged.status).toBe(303);
    expect(app.services.parties.get(seed.firmParty).numbers).toEqual(seed.firm);
    expect(evidenceAbout(seed.firmParty).map((e) => e.kind).slice(-2)).toEqual(['party-split', 'party-merged']);
    const all = await post(app, jar, `/parties/${seed.firmParty}/split`, { _csrf: csrf, numbers: seed.firm[0]!, name: 'x' });
    expect(all.status).toBe(303); // one of two is fine; all of them is refused:
    const last = await post(app, jar, `/parties/${seed.firmParty}/split`, { _csrf: csrf, numbers: seed.firm[1]!, name: 'y' });
    expect(last.status).toBe(400);
    expect(last.text).toContain('would keep no number');
  });

  it('when the cases list is read, then each case shows its title, status, assignee, link counts and when it was updated', async () => {
    const res = await get(app, jars.investigator!, '/cases?lang=en');
    const row = new RegExp(`<tr class="case" data-case="${seed.caseId}">([\\s\\S]*?)</tr>`).exec(res.text)![1]!;
    const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
    expect(cells[0]).toContain('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; تسريب');
    expect(cells[1]).toContain('open');
    expect(cells[2]).toContain('Noura');
    expect(cells.slice(3, 7)).toEqual(['1', '0', '0', '1']);
  });

  it('when a case is opened, noted, re-statused and linked through the forms, then each act is in the evidence log; without the CSRF token nothing is done', async () => {
    const jar = jars.investigator!;
    const list = await get(app, jar, '/cases');
    const csrf = csrfOf(list.text);
    const count = () => app.services.cases.list({ limit: 200 }).cases.length;
    const n = count();
    expect((await post(app, jar, '/cases', { title: 'No token' })).status).toBe(403);
    expect(count()).toBe(n);
    const empty = await post(app, jar, '/cases', { _csrf: csrf, title: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('a case needs a title');
    expect(count()).toBe(n);
    const made = await post(app, jar, '/cases', { _csrf: csrf, title: 'Night vendor leak', assignee: '', description: 'From the dashboard' });
    expect(made.status).toBe(303);
    const id = /\/cases\/(.+)$/.exec(made.headers.location!)![1]!;
    expect(app.services.cases.detail(id)).toMatchObject({ title: 'Night vendor leak', assignee: null, description: 'From the dashboard' });

    for (const [path, form] of [['notes', { text: 'x' }], ['status', { status: 'closed' }], ['links', { kind: 'channel', ref: seed.channelB }], ['bundle', { lang: 'en' }]] as const) {
      expect((await post(app, jar, `/cases/${id}/${path}`, form)).status, path).toBe(403);
    }
    expect(evidenceAbout(id).map((e) => e.kind)).toEqual(['case-opened']);

    expect((await post(app, jar, `/cases/${id}/notes`, { _csrf: csrf, text: HOSTILE.body })).status).toBe(303);
    expect((await post(app, jar, `/cases/${id}/status`, { _csrf: csrf, status: 'reported' })).status).toBe(303);
    expect((await post(app, jar, `/cases/${id}/links`, { _csrf: csrf, kind: 'channel', ref: seed.channelB })).status).toBe(303);
    expect((await post(app, jar, `/cases/${id}/links`, { _csrf: csrf, kind: 'hit', ref: seed.hits[1]! })).status).toBe(303);
    const unknown = await post(app, jar, `/cases/${id}/links`, { _csrf: csrf, kind: 'hit', ref: 'hit_nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toMatch(/<p class="notice" role="alert">Not done:.*hit_nope/);
    expect((await post(app, jar, `/cases/${id}/status`, { _csrf: csrf, status: 'bogus' })).status).toBe(400);
    expect((await post(app, jar, `/cases/${id}/assignee`, { assignee: 'Noura' })).status).toBe(403);
    expect((await post(app, jar, `/cases/${id}/assignee`, { _csrf: csrf, assignee: 'Noura' })).status).toBe(303);
    expect(app.services.cases.detail(id).assignee).toBe('Noura');
    expect((await post(app, jar, `/cases/${id}/assignee`, { _csrf: csrf, assignee: '\u202eNoura' })).status).toBe(400); // the service refuses bidi overrides
    expect((await post(app, jar, `/cases/${id}/assignee`, { _csrf: csrf, assignee: '' })).status).toBe(303);
    expect(app.services.cases.detail(id).assignee).toBeNull();

    const log = evidenceAbout(id);
    expect(log.map((e) => e.kind)).toEqual(['case-opened', 'case-note', 'case-updated', 'case-linked', 'case-linked', 'case-updated', 'case-updated']);
    expect(log.slice(-2).map((e) => (e.payload as any).assignee)).toEqual(['Noura', null]);
    const tok = app.services.db.prepare(`SELECT principal_id FROM dashboard_sessions WHERE role = 'investigator' ORDER BY created_at LIMIT 1`).pluck().get() as string;
    for (const e of log) expect(e.payload).toMatchObject({ by: tok, role: 'investigator' });
    expect(app.services.audit.list()[0]).toMatchObject({ action: 'case-link-hit', subject: `${id}:${seed.hits[1]}` });

    const page = await get(app, jar, `/cases/${id}?lang=en`);
    expect(page.text).toContain('<span class="status s-reported" id="case-status">reported</span>');
    expect(page.text).toContain(`<tr data-channel="${seed.channelB}">`);
    expect(page.text).toContain(`data-hit="${seed.hits[1]}"`);
    expect(page.text.match(/<tr data-kind="case-linked">/g)).toHaveLength(2);
    expect(page.text).toMatch(/<ul class="notes"><li data-note="\d+"><span class="meta">[^<]+ · <bdi dir="auto" class="u">tok_/);
    expect(page.text).not.toMatch(/<a href="javascript|<svg onload|<style>body|<iframe/);
  });

  it('when a party is linked from the case page, then the answer is the cases service\'s, as the API gives it, and a refusal writes nothing', async () => {
    const jar = jars.investigator!;
    const csrf = csrfOf((await get(app, jar, `/cases/${seed.caseId}`)).text);
    const n = evidenceAbout(seed.caseId).length;
    const res = await post(app, jar, `/cases/${seed.caseId}/links`, { _csrf: csrf, kind: 'party', ref: seed.firmParty });
    const api = await request(app.http).post(`/api/v1/cases/${seed.caseId}/links`).set({ Authorization: `Bearer ${app.tokens.investigator}` }).send({ partyIds: [seed.firmParty] });
    if (api.status === 200) {
      // The service links parties: the page's link landed first, so the API's is a no-op.
      expect(res.status).toBe(303);
      expect(evidenceAbout(seed.caseId).slice(n).map((e) => [e.kind, (e.payload as any).kind, (e.payload as any).ref])).toEqual([['case-linked', 'party', seed.firmParty]]);
      expect((await get(app, jar, `/cases/${seed.caseId}`)).text).toContain(`<li data-party="${seed.firmParty}">`);
    } else {
      expect(res.status).toBe(api.status);
      expect(res.text).toContain(api.body.message);
      expect(evidenceAbout(seed.caseId)).toHaveLength(n);
    }
  });

  it('when the case report is asked for from the case page, then it is served in HTML (Arabic right-to-left, English) and PDF under the report\'s own CSP, and each is an act in the log; seeders get 403', async () => {
    const jar = jars.investigator!;
    const page = await get(app, jar, `/cases/${seed.caseId}`);
    for (const v of ['html-en', 'pdf-en', 'html-ar', 'pdf-ar']) expect(page.text).toContain(`data-report="${v}"`);
    const n = evidenceAbout(seed.caseId).length;
    const ar = await get(app, jar, `/cases/${seed.caseId}/report?format=html&lang=ar`);
    expect(ar.status).toBe(200);
    expect(ar.headers['content-type']).toMatch(/text\/html/);
    expect(ar.text).toMatch(/<html[^>]*dir="rtl"/);
    expect(ar.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'unsafe-inline'/);
    expect(ar.headers['content-security-policy']).not.toMatch(/script-src/);
    const en = await get(app, jar, `/cases/${seed.caseId}/report?format=html&lang=en`);
    expect(en.text).toMatch(/<html[^>]*dir="ltr"/);
    const pdf = await request(app.http).get(`/cases/${seed.caseId}/report?format=pdf&lang=en`).set('Cookie', jar.header()).buffer(true)
      .parse((res, cb) => { const parts: Buffer[] = []; res.on('data', (c: Buffer) => parts.push(c)); res.on('end', () => cb(null, Buffer.concat(parts))); });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-disposition']).toContain(`case-${seed.caseId}-en.pdf`);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const acts = evidenceAbout(seed.caseId).slice(n);
    expect(acts.map((e) => [e.kind, (e.payload as any).lang, (e.payload as any).format])).toEqual([['case-report', 'ar', 'html'], ['case-report', 'en', 'html'], ['case-report', 'en', 'pdf']]);
    expect((await get(app, jars.seeder!, `/cases/${seed.caseId}/report?format=html&lang=en`)).status).toBe(403);
    expect((await get(app, jar, `/cases/${seed.caseId}/report?format=doc`)).status).toBe(400);
  }, 60_000);

  it('when the bundle is downloaded from the case page, then a signed ZIP comes back and the export is an act in the log', async () => {
    const jar = jars.investigator!;
    const csrf = csrfOf((await get(app, jar, `/cases/${seed.caseId}`)).text);
    const res = await request(app.http).post(`/cases/${seed.caseId}/bundle`).set('Cookie', jar.header()).type('form').send({ _csrf: csrf, lang: 'ar' }).buffer(true)
      .parse((r, cb) => { const parts: Buffer[] = []; r.on('data', (c: Buffer) => parts.push(c)); r.on('end', () => cb(null, Buffer.concat(parts))); });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/zip/);
    expect(res.headers['x-bundle-manifest-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect((res.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    expect(evidenceAbout(seed.caseId).at(-1)!.kind).toBe('case-bundle');
  }, 60_000);

  it('when the parties and cases pages or the case report need the attribution report, then it is decoded off the event loop, never on it', async () => {
    // Every main-thread decode goes through this one object (s.report and the fallback without a thread).
    const attribution = app.services.attribution as { report: unknown };
    const onLoop = attribution.report;
    attribution.report = () => { throw new Error('decoded on the main thread'); };
    try {
      for (const url of ['/parties', `/parties/${seed.firmParty}`, '/cases', `/cases/${seed.caseId}`, `/cases/${seed.caseId}/report?format=html&lang=en`]) {
        expect((await get(app, jars.admin!, url)).status, url).toBe(200);
      }
    } finally {
      attribution.report = onLoop;
    }
  });

  it('when ?lang=ar is asked for, then the parties and cases pages are Arabic and right-to-left', async () => {
    for (const url of ['/parties', `/parties/${seed.firmParty}`, '/cases', `/cases/${seed.caseId}`]) {
      const res = await get(app, jars.investigator!, `${url}?lang=ar`);
      expect(res.text, url).toMatch(/<html lang="ar" dir="rtl">/);
      expect(res.text, url).toMatch(/الأطراف|القضايا/);
      expect(res.text, url).not.toMatch(/>(Status|Notes|Timeline|Calls and SMS|Channels implicated)</);
    }
  });

  it('when an investigator groups numbers by hand or asks the tracer to propose, then the party is made through the service and logged; without the CSRF token nothing is', async () => {
    const jar = jars.investigator!;
    const csrf = csrfOf((await get(app, jar, '/parties')).text);
    const before = app.services.parties.list().length;
    expect((await post(app, jar, '/parties', { name: 'Desk', numbers: '+966500000201' })).status).toBe(403);
    expect((await post(app, jar, '/parties/propose', {})).status).toBe(403);
    expect(app.services.parties.list()).toHaveLength(before);
    const made = await post(app, jar, '/parties', { _csrf: csrf, name: 'Desk', numbers: '+966500000201\r\n+966500000202, ' });
    expect(made.status).toBe(303);
    const id = /\/parties\/(.+)$/.exec(made.headers.location!)![1]!;
    expect(app.services.parties.get(id)).toMatchObject({ name: 'Desk', status: 'accepted', numbers: ['+966500000201', '+966500000202'] });
    const tok = app.services.db.prepare(`SELECT principal_id FROM dashboard_sessions WHERE role = 'investigator' ORDER BY created_at LIMIT 1`).pluck().get() as string;
    expect(evidenceAbout(id).map((e) => [e.kind, (e.payload as any).actor])).toEqual([['party-created', `investigator:${tok}`]]);
    const twice = await post(app, jar, '/parties', { _csrf: csrf, name: 'Again', numbers: '+966500000201' });
    expect(twice.status).toBe(400);
    expect(twice.text).toContain('already belongs to party');
    expect((await post(app, jar, '/parties', { _csrf: csrf, name: 'Bad', numbers: '0501234567' })).status).toBe(400);
    expect(app.services.parties.list()).toHaveLength(before + 1);

    const canary = app.services.db.prepare(`SELECT n.phone_number FROM canaries k JOIN canary_numbers n ON n.id = k.number_id LIMIT 1`).pluck().get() as string;
    const { callParams } = await import('../support/app.ts');
    for (const n of ['+966500000301', '+966500000302']) await signedWebhook(app, '/twilio/voice', callParams(canary, n, { CallerName: 'مؤسسة الكشف' }));
    const asked = await post(app, jar, '/parties/propose', { _csrf: csrf });
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe('/parties?status=proposed&proposed=1');
    const shown = await get(app, jar, `${asked.headers.location}&lang=en&digits=latn`);
    expect(shown.text).toContain('<p class="notice" role="status" id="proposed">1 new groupings proposed</p>');
    const fresh = app.services.parties.list().find((p) => p.numbers.includes('+966500000301'))!;
    expect(fresh.status).toBe('proposed');
    expect(evidenceAbout(fresh.id).map((e) => [e.kind, (e.payload as any).actor])).toEqual([['party-proposed', `tracer (asked by investigator:${tok})`]]);
  });

  it('when there are more parties than a page holds, then the older ones follow by cursor and no party is shown twice', async () => {
    for (let i = 0; i < 55; i++) app.services.parties.create({ name: `Caller ${i}`, numbers: [`+9665990${String(i).padStart(5, '0')}`] }, 'admin:seed');
    const total = app.services.parties.list().length;
    const seen: string[] = [];
    let url: string | null = '/parties';
    while (url) {
      const res = await get(app, jars.investigator!, url);
      seen.push(...[...res.text.matchAll(/<tr class="party" data-party="([^"]+)"/g)].map((m) => m[1]!));
      url = /<a href="([^"]+)" rel="next"/.exec(res.text)?.[1]?.replace(/&amp;/g, '&') ?? null;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });
});
