import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { AppError } from '../errors.ts';
import type { CaseReportData } from './report-data.ts';
import { accessText, reportText, type Lang } from './report-text.ts';
import type { AccessPattern } from '../parties/access.ts';

// One template for both languages (src/cases/templates/report.njk), autoescaped. Text that callers
// or staff wrote also loses control and bidi-override characters, which could reorder the words
// around it; <bdi> in the template isolates what is left.

const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(path.join(import.meta.dirname, 'templates')), { autoescape: true, throwOnUndefined: false });
env.addFilter('safeText', (s: unknown) => (s === null || s === undefined ? '' : String(s).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD')));
env.addFilter('fixed', (n: unknown, digits: number) => (typeof n === 'number' ? n.toFixed(digits) : '—'));

export function renderCaseReportHtml(d: CaseReportData, lang: Lang): string {
  return env.render('report.njk', { d, lang, dir: lang === 'ar' ? 'rtl' : 'ltr', t: reportText(lang), accessWords: (a: AccessPattern) => accessText(lang, a) });
}

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Prints the HTML to PDF in Debian's Chromium through playwright-core (never a downloaded browser).
 * JavaScript is off and every request is refused: the page is self-contained.
 */
export async function printPdf(html: string, executablePath = CHROMIUM_PATH): Promise<Buffer> {
  if (!fs.existsSync(executablePath)) {
    throw new AppError('browser-missing', `printing a PDF needs Chromium at ${executablePath}; install it with "apt-get install -y chromium" (Debian), or ask for the HTML report (--format html)`, 503);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' } });
  } finally {
    await browser.close();
  }
}
