import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { chromium } from 'playwright-core';
import { bearer, type TestApp } from '../support/app.ts';
import { printPdf } from '../../src/cases/render.ts';
import { FIRM, HOSTILE_NAME, leakScenario } from './support.ts';
import { hasArabic, pdfText } from './pdf-text.ts';

const binary = (r: any, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  r.on('data', (c: Buffer) => chunks.push(c));
  r.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('case report', () => {
  let app: TestApp;
  let caseId: string;
  beforeAll(async () => {
    ({ app, caseId } = await leakScenario());
    await request(app.http).patch(`/api/v1/cases/${caseId}`).set(bearer(app.tokens.investigator)).send({ notice: { realRecordsExposed: '1240', whatHappened: 'Tickets <b>passed</b> out' } });
  }, 60_000);
  afterAll(() => app?.dispose());
  const get = (q: string) => request(app.http).get(`/api/v1/cases/${caseId}/report?${q}`).set(bearer(app.tokens.investigator)).buffer(true).parse(binary);
  const head = () => app.services.evidence.list(100_000).at(-1)!.hash;

  it('when the Arabic HTML is opened in Chromium, then it lays out right to left, and caller text is escaped', async () => {
    const res = await get('format=html&lang=ar');
    const html = res.body.toString('utf8');
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Tickets &lt;b&gt;passed&lt;/b&gt; out');
    expect(html).toMatch(/<svg [^>]*role="img"/); // the contacts chart, drawn server-side
    // No party linked yet: the firm's number, the channel's decoded leak party, is implicated all the same.
    const parties = html.slice(html.indexOf('<section id="parties">'), html.indexOf('<section id="timeline">'));
    expect(parties).toContain(FIRM);
    expect(parties).toContain('متورط في قنوات هذه القضية'); // "implicated on this case's channels"
    expect(parties).toContain('مباشر'); // access pattern: live
    expect(html).toMatch(/<title>\d{4}-\d{2}-\d{2}T\d{2}: 4<\/title>/); // the hour with the firm's 3 calls and the SMS
    expect(HOSTILE_NAME).toContain('<script>');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await (await browser.newContext({ javaScriptEnabled: true, viewport: { width: 900, height: 1200 } })).newPage();
      await page.setContent(html);
      const layout = await page.evaluate(() => {
        const h1 = document.querySelector('h1')!.getBoundingClientRect();
        const th = document.querySelector('#channels th')!.getBoundingClientRect();
        const table = document.querySelector('#channels table')!.getBoundingClientRect();
        return { dir: getComputedStyle(document.body).direction, h1Right: h1.right, h1Left: h1.left, width: document.body.getBoundingClientRect().right,
          firstThAtRight: Math.abs(th.right - table.right) < 2, alerted: (window as any).alerted ?? false };
      });
      expect(layout.dir).toBe('rtl');
      expect(layout.firstThAtRight).toBe(true); // the first column stands at the right
      expect(layout.width - layout.h1Right).toBeLessThan(layout.h1Left);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('when no browser is at the path, then the error says what to install', async () => {
    await expect(printPdf('<p>x</p>', '/nonexistent/chromium')).rejects.toMatchObject({ code: 'browser-missing', message: expect.stringMatching(/apt-get install -y chromium/) });
  });

  it('when the report is asked for as CSV or JSONL, then every channel is a row and caller text is neutralised', async () => {
    const csv = await request(app.http).get('/api/v1/report?format=csv&bom=true').set(bearer(app.tokens.investigator));
    expect(csv.status).toBe(200);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.text.replace(/\r\n$/, '').split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFFchannelId,name,kind,verdict,probability/);
    expect(lines).toHaveLength(3);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x.example""`);
    const jsonl = await request(app.http).get('/api/v1/report?format=jsonl').set(bearer(app.tokens.investigator)).buffer(true).parse(binary);
    const rows = jsonl.body.toString('utf8').trim().split('\n').map((l: string) => JSON.parse(l));
    expect(rows.map((r: { name: string }) => r.name).sort()).toEqual(['Contractor B', 'Vendor A night shift']);
    expect((await request(app.http).get('/api/v1/report?format=xml').set(bearer(app.tokens.investigator))).body.error).toBe('invalid-request');
  });

  // Linked last: an accepted party is one caller to the decoder, so the tests above see the raw caller names.
  describe('with the firm and a hostile-named party linked', () => {
    beforeAll(async () => {
      // The firm as a party, and a second party whose name its callers wrote (markup and a bidi override).
      const inv = bearer(app.tokens.investigator);
      const firm = (await request(app.http).post('/api/v1/parties').set(inv).send({ name: 'Najm Collections', numbers: [FIRM] })).body;
      const odd = (await request(app.http).post('/api/v1/parties').set(inv).send({ name: '<img src=x onerror=alert(2)>Odd\u202eFirm', numbers: ['+966119998877'] })).body;
      expect((await request(app.http).post(`/api/v1/cases/${caseId}/links`).set(inv).send({ partyIds: [firm.id, odd.id] })).status).toBe(200);
    });

    it('when the English HTML is asked for, then the party names are escaped and their bidi overrides replaced', async () => {
      const html = (await get('format=html&lang=en')).body.toString('utf8');
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;Odd\uFFFDFirm');
      expect(html).not.toContain('\u202e');
    });

    for (const lang of ['en', 'ar'] as const) {
      it(`when the ${lang} PDF is asked for, then its text names the leaking channel, the count of hits and the evidence log's head hash`, async () => {
        const res = await get(`format=pdf&lang=${lang}`);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/pdf');
        const headAtReport = app.services.evidence.list(100_000).at(-2)!.hash; // the report's own act comes after
        const text = await pdfText(res.body);
        const flat = text.replace(/\s+/g, '');
        expect(flat).toContain('VendorAnightshift');
        expect(flat).toContain(headAtReport);
        // The channels table: verdict, probability, canaries 3, called 3, hits 4, first contact 9 min.
        expect(text).toMatch(/Vendor A night\s+shift[^\d]*1\.000\s+3\s+3\s+4\s+9\s/);
        // The parties: the firm in the summary as the leak's recipient, and its own section with its access pattern.
        expect(flat).toContain('NajmCollections');
        expect(flat).toContain(FIRM);
        if (lang === 'en') {
          expect(text).toMatch(/Vendor A night shift\s+leaks \(probability 1\.000\), most likely to\s+Najm Collections\s+\(\+966112345678\)/);
          expect(text).toMatch(/Najm Collections\s+\(linked to this case\): 3 canaries of this case reached, 3 calls and 1 SMS/);
          expect(text).toMatch(/Access pattern\s+live\s*:/);
          expect(flat).toContain('contacts9–27minafterplanting(3of3withinanhour)');
          expect(flat).toContain('liveaccesstothequeue');
          expect(text).toMatch(/Odd.Firm/);
          expect(text).toMatch(/6 canaries and 4 calls or messages/);
        } else {
          expect(hasArabic(text, 'سلسلة الحيازة')).toBe(true);
          expect(hasArabic(text, 'تقرير القضية')).toBe(true);
          expect(hasArabic(text, 'تُسرِّب')).toBe(true); // "leaks", in the summary
          expect(hasArabic(text, 'نمط الوصول')).toBe(true); // "access pattern"
          expect(hasArabic(text, 'مباشر')).toBe(true); // "live"
          expect(hasArabic(text, 'غير موجود في التقرير')).toBe(false); // the check can fail
        }
        expect(app.services.evidence.list(100_000).at(-1)).toMatchObject({ kind: 'case-report', subject: caseId });
      }, 60_000);
    }

  });
});
