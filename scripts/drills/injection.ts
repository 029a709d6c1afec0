// Caller-controlled fields (caller name, SMS body, caller number as sent) carrying terminal escapes,
// bidi overrides, CSV formulas and HTML, through every output a person reads: hits list, hits show
// (text and --json), the CSV export, the report, security-events, evidence verify's findings — and
// the dashboard's real pages (overview, hits list, hit pages, channel page, evidence) rendered in Debian's chromium (playwright-core),
// where a dialog, a console or page error, a request the page did not mean to make, or an element
// or attribute the caller smuggled in is a leak. Nothing raw may reach any of them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { chromium } from 'playwright-core';
import { createApp } from '../../src/app.ts';
import { createLogger } from '../../src/log.ts';
import { newSid } from '../../src/telephony/simulator.ts';
import { AUTH_TOKEN, drillConfig, tempDir, type DrillOptions, type DrillResult } from './support.ts';

const run_ = promisify(execFile);
const PAYLOADS = [
  '\u001b]0;pwned\u0007', '\u001b[2J\u001b[H', '\u001b[31mRED', '\u009b31m', '\u202eevil\u202c', '\u2066isolate\u2069', 'line\r\nfake: entry',
  '=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '<script>alert(1)</script>', '"quoted","cells"', 'a\u2028b', 'NUL\u0000byte',
  // HTML and template injection, for the dashboard.
  '<img src=x onerror=alert(1)>', '"><svg onload=alert(2)>', "'><iframe src=https://evil.example/f></iframe>", 'javascript:alert(3)',
  '<a href="javascript:alert(4)">x</a>', '<link rel=stylesheet href=https://evil.example/c.css><style>body{display:none}</style>',
  '{{7*7}}{% raw %}${alert(5)}', '<b style="background:url(https://evil.example/i.png)">\u202eبلاغ</b>',
];
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export async function run(o: DrillOptions): Promise<DrillResult> {
  const dir = tempDir('tracer-drill-inject-');
  const config = drillConfig(dir);
  const app = createApp({ config, logger: createLogger('silent') });
  // The calls reach a planted canary, so the channel's page and the overview speak of them too.
  const channel = app.services.channels.create({ name: 'Injection channel', kind: 'call-centre-vendor' });
  const [canary] = await app.services.canaries.create({ channelIds: [channel.id], count: 1 });
  const ids: string[] = [];
  for (const [i, evil] of PAYLOADS.entries()) {
    const call = await app.services.ingestor.ingest({
      kind: 'call', sid: newSid('CA'), from: `+96650${String(i).padStart(7, '0')}`, to: canary!.phoneNumber, callerName: evil, body: null,
      receivedAt: new Date(Date.now() + i * 60_000).toISOString(), raw: { CallerName: evil, From: evil, [evil]: evil },
    });
    await app.services.ingestor.ingest({
      kind: 'sms', sid: newSid('SM'), from: `+96650${String(i).padStart(7, '0')}`, to: canary!.phoneNumber, callerName: null, body: evil,
      receivedAt: new Date(Date.now() + i * 60_000 + 30_000).toISOString(), raw: { Body: evil, [`x${evil}`]: evil },
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
  // An insider renames each caller to the next hostile value: `evidence verify` then quotes both
  // names in its findings (terminal, --json, and the dashboard's evidence page below).
  const store = new Database(config.tracerDb);
  const calls = store.prepare("SELECT id FROM hits WHERE kind = 'call' ORDER BY rowid").pluck().all() as string[];
  const rename = store.prepare('UPDATE hits SET caller_name = ? WHERE id = ?');
  calls.forEach((id, i) => rename.run(PAYLOADS[(i + 1) % PAYLOADS.length], id));
  store.close();
  // It exits 1 on a finding, as it must here: the findings are the output under test.
  const verify = async (...args: string[]) => tracer('evidence', 'verify', ...args).then(
    () => 'evidence verify exited 0 on a tampered store',
    (err: { code?: number; stdout?: string }) => (err.code === 1 ? err.stdout ?? '' : `evidence verify: exit ${err.code}`));
  outputs.push(['evidence verify', await verify()], ['evidence verify --json', await verify('--json')]);
  const failures = outputs.filter(([, text]) => UNSAFE.test(text)).map(([name]) => `${name}: raw control or bidi character reached the terminal`);
  const csv = outputs.find(([n]) => n === 'hits list --csv')![1];
  for (const f of ['=HYPERLINK', '+1+1', '-2+3', '@SUM']) if (new RegExp(`(^|,)"?\\${f[0]}${f.slice(1).replace(/[()+]/g, '\\$&')}`, 'm').test(csv)) failures.push(`CSV cell starts with ${f}`);
  for (const [name, text] of outputs.slice(-2)) if (!text.includes('shows caller name')) failures.push(`${name}: did not name the renamed callers (${text.slice(0, 80)})`);
  const terminalLeaks = failures.length;
  // Trimmed (CI): the hit pages of the HTML payloads only.
  const pages = ['/', '/hits', `/channels/${channel.id}`, '/evidence', ...(o.trim ? ids.slice(-8, -4) : ids).map((id) => `/hits/${id}`), ...(o.trim ? [] : ['/?lang=ar', `/hits/${ids.at(-1)}?lang=ar`])];
  const html = await renderPages(config, pages);
  failures.push(...html.leaks);
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    ok: failures.length === 0,
    figure: `${PAYLOADS.length} hostile caller values (name, SMS body, raw parameters) × ${outputs.length} terminal/--json/CSV outputs: ${terminalLeaks} leaks; ` +
      `${html.pages} dashboard pages in chromium (overview, hits list, channel, evidence, hit pages): ${html.leaks.length} leaks (dialogs, console/page errors, unintended requests, smuggled elements)`,
    details: failures,
  };
}

/** The dashboard's real pages in chromium, signed in through the form as an admin would. */
async function renderPages(config: ReturnType<typeof drillConfig>, pages: string[]): Promise<{ pages: number; leaks: string[] }> {
  if (!fs.existsSync('/usr/bin/chromium')) return { pages: 0, leaks: ['Debian chromium is missing (/usr/bin/chromium): the HTML part did not run'] };
  const app = createApp({ config, logger: createLogger('silent') });
  const token = app.services.tokens.create({ role: 'admin' }).token;
  const server = http.createServer(app.http);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const leaks: string[] = [];
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    let at = '/login';
    page.on('dialog', (d) => { leaks.push(`${at}: dialog "${d.message()}"`); void d.dismiss(); });
    page.on('console', (m) => { if (m.type() === 'error') leaks.push(`${at}: console error ${m.text().slice(0, 120)}`); });
    page.on('pageerror', (e) => leaks.push(`${at}: page error ${e.message.slice(0, 120)}`));
    page.on('request', (r) => {
      const u = new URL(r.url());
      const intended = u.origin === base && /^\/(|login|evidence|channels\/[\w-]+|hits(\/[\w-]+)?|live\/hits|favicon\.ico|assets\/[\w.]+)$/.test(u.pathname);
      if (!intended) leaks.push(`${at}: request to ${r.url().slice(0, 120)}`);
    });
    await page.goto(`${base}/login`);
    await page.fill('input[name="token"]', token);
    await page.click('#sign-in');
    await page.waitForURL((u) => u.pathname === '/');
    for (const url of pages) {
      at = url;
      await page.goto(base + url);
      // Handlers, had any survived escaping, fire on these.
      await page.evaluate(() => document.querySelectorAll('main *').forEach((e) => { for (const t of ['mouseover', 'focus']) e.dispatchEvent(new Event(t, { bubbles: true })); }));
      const smuggled = await page.evaluate(() => [
        ...[...document.querySelectorAll('main iframe, main img, main svg, main style, main link, main script, main a[href^="javascript:"]')].map((e) => e.tagName.toLowerCase()),
        ...[...document.querySelectorAll('main *')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName.toLowerCase()}[${a.name}]`)),
      ]);
      for (const s of smuggled) leaks.push(`${url}: ${s} in the page`);
      if (await page.evaluate(() => getComputedStyle(document.body).display === 'none')) leaks.push(`${url}: the page was restyled`);
    }
    await context.close();
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
    await app.close();
  }
  return { pages: pages.length, leaks };
}
