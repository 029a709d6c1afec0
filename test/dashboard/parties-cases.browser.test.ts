// The parties and cases pages in a real browser: Debian's chromium driven by playwright-core, as
// browser.test.ts does. Roles, Arabic right-to-left, acts through the forms landing in the evidence
// log, hostile party names, caller names and note text running nothing, and screenshots to look at.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildTestApp, signedWebhook, type TestApp } from '../support/app.ts';
import { HOSTILE, seedPartiesAndCase } from './support.ts';

const OUT = path.resolve('test-output/dashboard');
const BASE_URL_CONFIGURED = 'http://localhost';

describe('the parties and cases pages in chromium', () => {
  let app: TestApp;
  let server: http.Server;
  let base: string;
  let browser: Browser;
  let seed: Awaited<ReturnType<typeof seedPartiesAndCase>>;

  beforeAll(async () => {
    app = buildTestApp({ env: { PUBLIC_BASE_URL: BASE_URL_CONFIGURED } });
    seed = await seedPartiesAndCase(app, (p, params) => signedWebhook(app, p, params, BASE_URL_CONFIGURED + p));
    server = http.createServer(app.http);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (!fs.existsSync('/usr/bin/chromium')) throw new Error('Debian chromium is missing: apt-get install -y chromium');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    fs.mkdirSync(OUT, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await app?.dispose();
  });

  /** A page that records every dialog, console error, page error and request it did not mean to make. */
  async function watched(o: { js?: boolean } = {}) {
    const context = await browser.newContext({ javaScriptEnabled: o.js ?? true, locale: 'en-GB', timezoneId: 'Asia/Riyadh' });
    const page = await context.newPage();
    const trouble: string[] = [];
    page.on('dialog', (d) => { trouble.push(`dialog: ${d.message()}`); void d.dismiss(); });
    page.on('console', (m) => { if (m.type() === 'error') trouble.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => trouble.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      const u = new URL(r.url());
      const intended = u.origin === base && /^\/(|login|logout|channels(\/[\w-]+)?|hits(\/[\w-]+)?|live\/hits|evidence|(parties|cases)(\/[\w-]+(\/(accept|rename|notes|merge|split|status|links|report|bundle))?)?|favicon\.ico|assets\/[\w.]+)$/.test(u.pathname);
      if (!intended) trouble.push(`request: ${r.url()}`);
    });
    return { context, page, trouble };
  }

  async function signIn(page: Page, token: string, lang = 'en') {
    await page.goto(`${base}/?lang=${lang}`);
    await page.fill('input[name="token"]', token);
    await page.click('#sign-in');
    await page.waitForURL((u) => u.pathname === '/');
  }

  it('when an investigator or an admin opens the parties and cases pages, then they render in English and in Arabic (right to left) with the party\'s charts drawn, and screenshots are kept', async () => {
    for (const role of ['investigator', 'admin'] as const) {
      const { context, page, trouble } = await watched();
      await signIn(page, app.tokens[role]);
      for (const lang of ['en', 'ar'] as const) {
        await page.goto(`${base}/parties?lang=${lang}`);
        expect(await page.evaluate(() => [document.documentElement.dir, getComputedStyle(document.body).direction])).toEqual(lang === 'ar' ? ['rtl', 'rtl'] : ['ltr', 'ltr']);
        expect(await page.locator('table.parties tr.party').count()).toBe(2);
        await page.goto(`${base}/parties/${seed.firmParty}?lang=${lang}`);
        await expect.poll(() => page.locator('canvas[data-drawn]').count()).toBe(2);
        expect(await page.locator('table.implicated tr[data-channel]').count()).toBe(1);
        expect(await page.locator('section.calls tr.hit').count()).toBe(4);
        expect(await page.locator('.canaries code').count()).toBe(role === 'admin' ? 3 : 0); // the registry, for a role that may read it
        if (role === 'investigator') await page.screenshot({ path: path.join(OUT, `party-${lang}.png`), fullPage: true });
        await page.goto(`${base}/cases?lang=${lang}`);
        expect(await page.locator('table.cases tr.case').count()).toBe(1);
        await page.goto(`${base}/cases/${seed.caseId}?lang=${lang}`);
        expect(await page.evaluate(() => document.documentElement.dir)).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        expect(await page.locator('table.linked-channels tr[data-channel]').count()).toBe(1);
        expect(await page.locator('ul.notes li[data-note]').count()).toBe(1);
        expect(await page.locator('table.timeline tr[data-kind]').count()).toBeGreaterThanOrEqual(4);
        if (role === 'investigator') await page.screenshot({ path: path.join(OUT, `case-${lang}.png`), fullPage: true });
      }
      expect(await page.locator('nav a').allInnerTexts()).toEqual(expect.arrayContaining(['الأطراف', 'القضايا']));
      expect(trouble).toEqual([]);
      await context.close();
    }
    for (const name of ['party-en', 'party-ar', 'case-en', 'case-ar']) expect(fs.statSync(path.join(OUT, `${name}.png`)).size).toBeGreaterThan(10_000);
  }, 120_000);

  it('when a seeder signs in, then parties and cases are not in the menu and asking for them answers 403', async () => {
    const { context, page, trouble } = await watched();
    await signIn(page, app.tokens.seeder);
    const menu = await page.locator('nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(menu).not.toContain('/parties');
    expect(menu).not.toContain('/cases');
    for (const url of ['/parties', `/parties/${seed.firmParty}`, '/cases', `/cases/${seed.caseId}`, `/cases/${seed.caseId}/report?format=html&lang=en`]) {
      const res = await page.goto(base + url);
      expect(res!.status(), url).toBe(403);
      expect(await page.locator('h1').innerText()).toBe('Your role may not see this page.');
    }
    expect(trouble.filter((t) => !/status of 403/.test(t))).toEqual([]);
    await context.close();
  }, 30_000);

  it('when an investigator accepts a proposed party, notes it and works a case through the forms, then the page shows each act and the evidence log holds it', async () => {
    const { context, page, trouble } = await watched();
    await signIn(page, app.tokens.investigator);
    const id = seed.proposed[0]!;
    await page.goto(`${base}/parties/${id}?lang=en`);
    expect(await page.locator('#party-status').innerText()).toBe('proposed');
    await page.click('#accept');
    await page.waitForURL((u) => u.pathname === `/parties/${id}`);
    expect(await page.locator('#party-status').innerText()).toBe('accepted');
    await page.fill('textarea[name="text"]', HOSTILE.body.slice(0, 600));
    await page.click('#add-note');
    await page.waitForURL((u) => u.pathname === `/parties/${id}`);
    expect(await page.locator('ul.notes li .body').innerText()).toContain('<a href="javascript:alert(2)">win</a>');
    expect(await page.locator('table.acts tr[data-kind]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')))).toEqual(['party-proposed', 'party-accepted', 'party-note']);
    expect(app.services.evidence.list({ subject: id, limit: 10 }).map((e) => e.kind)).toEqual(['party-proposed', 'party-accepted', 'party-note']);

    await page.goto(`${base}/cases/${seed.caseId}?lang=en`);
    await page.selectOption('select[name="status"]', 'reported');
    await page.click('#save-status');
    await page.waitForURL((u) => u.pathname === `/cases/${seed.caseId}`);
    expect(await page.locator('#case-status').innerText()).toBe('reported');
    await page.fill('input[name="ref"]', seed.hits[2]!);
    await page.click('#link-hit');
    await page.waitForURL((u) => u.pathname === `/cases/${seed.caseId}`);
    expect(await page.locator(`section.links tr.hit[data-hit="${seed.hits[2]}"]`).count()).toBe(1);
    await page.fill('section.case-acts textarea[name="text"]', 'Vendor informed; <b>bold</b> stays text.');
    await page.click('#add-note');
    await page.waitForURL((u) => u.pathname === `/cases/${seed.caseId}`);
    expect(await page.locator('ul.notes li[data-note]').last().innerText()).toContain('<b>bold</b> stays text.');
    const kinds = app.services.evidence.list({ subject: seed.caseId, limit: 100 }).map((e) => e.kind);
    expect(kinds.slice(-3)).toEqual(['case-updated', 'case-linked', 'case-note']);

    // The case report opens under its own policy: styled, no script, nothing refused in the console.
    const [report] = await Promise.all([page.waitForEvent('load'), page.click('a[data-report="html-ar"]')]);
    expect(report).toBeTruthy();
    expect(await page.evaluate(() => [document.documentElement.dir, document.styleSheets.length > 0, document.scripts.length])).toEqual(['rtl', true, 0]);
    expect(trouble).toEqual([]);
    await context.close();
  }, 60_000);

  it('when party names, caller names and note text carry scripts, handlers, javascript: links, CSS and bidi overrides, then nothing runs, restyles the page or links anywhere', async () => {
    const { context, page, trouble } = await watched();
    await signIn(page, app.tokens.admin);
    for (const url of ['/parties', `/parties/${seed.firmParty}`, '/cases', `/cases/${seed.caseId}`, '/parties?lang=ar', `/parties/${seed.firmParty}?lang=ar`, `/cases/${seed.caseId}?lang=ar`]) {
      await page.goto(base + url);
      await page.evaluate(() => document.querySelectorAll('main *').forEach((e) => { for (const t of ['mouseover', 'focus']) e.dispatchEvent(new Event(t, { bubbles: true })); }));
      const dom = await page.evaluate(() => ({
        scripts: [...document.scripts].map((s) => s.getAttribute('src')),
        styles: document.querySelectorAll('style, link[rel=stylesheet]:not([href="/assets/app.css"])').length,
        bad: document.querySelectorAll('iframe, img, svg, a[href^="javascript:"], [onerror], [onload], [onmouseover], [style]:not(canvas)').length,
        links: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')).filter((h) => !h!.startsWith('/') && h !== '#main'),
        visible: getComputedStyle(document.body).display !== 'none',
        wider: document.documentElement.scrollWidth <= window.innerWidth + 1,
        title: document.title,
      }));
      expect(dom.scripts, url).toEqual(['/assets/htmx.min.js', '/assets/chart.umd.min.js', '/assets/app.js']);
      expect(dom, url).toMatchObject({ styles: 0, bad: 0, links: [], visible: true, wider: true });
      expect(dom.title, url).not.toMatch(/\u202e/);
    }
    await page.goto(`${base}/parties/${seed.firmParty}?lang=en`);
    expect(await page.locator('h1').innerText()).toContain('<script>alert("name")</script>');
    expect(await page.locator('h1').innerText()).toContain('U+202E');
    await page.goto(`${base}/cases/${seed.caseId}?lang=en`);
    expect(await page.locator('ul.notes li[data-note] .body').first().innerText()).toContain('<svg onload=alert(3)></svg>');
    expect(trouble).toEqual([]);
    await context.close();
  }, 90_000);

  it('when JavaScript is off, then a reader reads a party and a case in Arabic', async () => {
    const { context, page, trouble } = await watched({ js: false });
    await signIn(page, app.tokens.investigator, 'ar');
    await page.goto(`${base}/parties`);
    await page.click(`tr[data-party="${seed.firmParty}"] a[href^="/parties/"]`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('section.calls tr.hit').count()).toBe(4);
    expect(await page.locator('figure.chart table').first().isVisible()).toBe(false); // folded in <details>, there to open
    await page.locator('figure.chart summary').first().click();
    expect(await page.locator('figure.chart table').first().isVisible()).toBe(true);
    await page.goto(`${base}/cases`);
    await page.click(`tr[data-case="${seed.caseId}"] a`);
    expect(await page.locator('table.linked-channels tr[data-channel]').count()).toBe(1);
    expect(await page.locator('#case-status').isVisible()).toBe(true);
    expect(trouble).toEqual([]);
    await context.close();
  }, 30_000);
});
