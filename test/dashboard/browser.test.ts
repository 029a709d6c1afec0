// The dashboard in a real browser: Debian's chromium driven by playwright-core (never a downloaded
// browser). One browser for the file; each test opens its own context.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, smsParams, type TestApp } from '../support/app.ts';
import { HOSTILE } from './support.ts';

const OUT = path.resolve('test-output/dashboard');
const BASE_URL_CONFIGURED = 'http://localhost';
const FIRM = '+966112345678';
const hook = (app: TestApp, p: string, params: Record<string, string>) => signedWebhook(app, p, params, BASE_URL_CONFIGURED + p);

describe('the dashboard in chromium', () => {
  let app: TestApp;
  let server: http.Server;
  let base: string;
  let browser: Browser;
  let channelId: string;
  let canaries: Array<{ phoneNumber: string }>;

  beforeAll(async () => {
    app = buildTestApp({ env: { PUBLIC_BASE_URL: BASE_URL_CONFIGURED } });
    const a = await createChannel(app, { name: 'مورّد مركز الاتصال (ليلي)', kind: 'call-centre-vendor', dimensions: { system: 'CRM', shift: 'nights' } });
    const b = await createChannel(app, { name: 'Contractor B export', kind: 'contractor-export' });
    channelId = a.id;
    canaries = await plant(app, [a.id], 3);
    await plant(app, [b.id], 3);
    await request(app.http).post('/api/v1/campaigns').set(bearer(app.tokens.seeder)).send({ name: 'حملة التحقق', channelIds: [a.id, b.id], design: 'dedicated', budget: 2 });
    for (const [i, c] of canaries.entries()) {
      app.clock.advanceMinutes(9 + i * 20);
      await hook(app, '/twilio/voice', callParams(c.phoneNumber, FIRM, { CallerName: i === 0 ? HOSTILE.callerName : 'شركة كشف التسربات', ...(i === 0 ? HOSTILE.rawExtra : {}) }));
    }
    await hook(app, '/twilio/sms', smsParams(canaries[1]!.phoneNumber, FIRM, HOSTILE.body));
    app.clock.advanceMinutes(3 * 24 * 60);
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
      const intended = u.origin === base && /^\/(|login|logout|channels(\/[\w-]+)?|hits(\/[\w-]+)?|live\/hits|campaigns|numbers|evidence|access|favicon\.ico|assets\/[\w.]+)$/.test(u.pathname);
      if (!intended) trouble.push(`request: ${r.url()}`);
    });
    return { context, page, trouble };
  }

  async function signIn(page: Page, token: string, lang = 'en') {
    await page.goto(`${base}/?lang=${lang}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name="token"]', token);
    await page.click('#sign-in');
    await page.waitForURL((u) => u.pathname === '/');
  }

  const close = async (c: BrowserContext) => c.close();

  it('when an investigator signs in, then the overview and a channel page render with drawn charts in English and in Arabic (right to left), and screenshots are kept', async () => {
    const { context, page, trouble } = await watched();
    await signIn(page, app.tokens.investigator);
    for (const lang of ['en', 'ar'] as const) {
      await page.goto(`${base}/?lang=${lang}`);
      expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir, getComputedStyle(document.body).direction]))
        .toEqual(lang === 'ar' ? ['ar', 'rtl', 'rtl'] : ['en', 'ltr', 'ltr']);
      await expect.poll(() => page.locator('canvas[data-drawn]').count()).toBeGreaterThan(0);
      expect(await page.locator('table.verdicts tr[data-channel]').count()).toBe(2);
      await page.screenshot({ path: path.join(OUT, `overview-${lang}.png`), fullPage: true });
      await page.goto(`${base}/channels/${channelId}?lang=${lang}`);
      await expect.poll(() => page.locator('canvas[data-drawn]').count()).toBe(2);
      expect(await page.locator('section.reasons li').count()).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(OUT, `channel-${lang}.png`), fullPage: true });
    }
    expect(await page.locator('h1').innerText()).toContain('مورّد مركز الاتصال');
    expect(await page.locator('nav a').allInnerTexts()).not.toContain('الأرقام'); // numbers are not an investigator's
    expect(trouble).toEqual([]);
    await close(context);
  }, 60_000);

  it('when a call reaches a canary while the hits page is open, then the hit appears without a reload', async () => {
    const { context, page, trouble } = await watched();
    await signIn(page, app.tokens.investigator);
    await page.goto(`${base}/hits`);
    const marker = await page.evaluate(() => { (window as any).sameDocument = true; return true; });
    const caller = '+966500000777';
    expect((await hook(app, '/twilio/voice', callParams(canaries[2]!.phoneNumber, caller, { CallerName: 'Live caller' }))).status).toBe(200);
    await page.locator('tbody.fresh tr.hit', { hasText: 'Live caller' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as any).sameDocument)).toBe(marker);
    expect(trouble).toEqual([]);
    await close(context);
  }, 30_000);

  it('when caller names, SMS bodies and raw parameters carry scripts, handlers, javascript: links, CSS and bidi overrides, then nothing runs, restyles the page or links anywhere', async () => {
    const { context, page, trouble } = await watched();
    await signIn(page, app.tokens.admin);
    const hit = (await request(app.http).get('/api/v1/hits').set(bearer(app.tokens.admin))).body.hits.find((h: any) => h.callerName === HOSTILE.callerName);
    const sms = (await request(app.http).get('/api/v1/hits').set(bearer(app.tokens.admin))).body.hits.find((h: any) => h.kind === 'sms');
    for (const url of ['/', '/hits', `/hits/${hit.id}`, `/hits/${sms.id}`, `/channels/${channelId}`, '/evidence', '/campaigns', '/numbers', '/?lang=ar', `/hits/${hit.id}?lang=ar`]) {
      await page.goto(base + url);
      // Mouse-over and focus handlers, had any survived, would fire now.
      await page.evaluate(() => document.querySelectorAll('main *').forEach((e) => { for (const t of ['mouseover', 'focus', 'click']) if (t !== 'click' || e.tagName !== 'A') e.dispatchEvent(new Event(t, { bubbles: true })); }));
      const dom = await page.evaluate(() => ({
        scripts: [...document.scripts].map((s) => s.getAttribute('src')),
        styles: document.querySelectorAll('style, link[rel=stylesheet]:not([href="/assets/app.css"])').length,
        bad: document.querySelectorAll('iframe, img, svg, a[href^="javascript:"], [onerror], [onload], [onmouseover], [style]:not(canvas)').length,
        links: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')).filter((h) => !h!.startsWith('/') && h !== '#main'),
        visible: getComputedStyle(document.body).display !== 'none',
        wider: document.documentElement.scrollWidth <= window.innerWidth + 1,
      }));
      expect(dom.scripts, url).toEqual(['/assets/htmx.min.js', '/assets/chart.umd.min.js', '/assets/app.js']);
      expect(dom, url).toMatchObject({ styles: 0, bad: 0, links: [], visible: true, wider: true });
    }
    await page.goto(`${base}/hits/${hit.id}?lang=en`);
    expect(await page.locator('table.raw').innerText()).toContain('<script>alert("name")</script>');
    expect(await page.locator('table.raw').innerText()).toContain('U+202E');
    await page.screenshot({ path: path.join(OUT, 'hit-hostile-en.png'), fullPage: false });
    expect(trouble).toEqual([]);
    await close(context);
  }, 90_000);

  it('when JavaScript is off, then a reader signs in, reads the overview and a hit, and signs out, which ends the session', async () => {
    const { context, page, trouble } = await watched({ js: false });
    await signIn(page, app.tokens.investigator, 'ar');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('table.verdicts tr[data-channel]').count()).toBe(2);
    await page.click('table.hits tr.hit a');
    expect(await page.locator('table.raw').isVisible()).toBe(true);
    await page.click('#sign-out');
    await page.waitForURL((u) => u.pathname === '/login');
    await page.goto(`${base}/hits`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(trouble).toEqual([]);
    await close(context);
  }, 30_000);
});
