// Nunjucks with autoescape on (already a dependency, well kept, the engine STYLE.md names): every
// value a template prints is HTML-escaped unless marked safe, and no template here marks anything safe.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';

const VIEWS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'views');

// Invisible and direction-changing characters (bidi overrides and isolates, zero-width, C0/C1 controls
// but tab and newline) are shown as their code point, so a caller cannot hide or reorder what is read.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

export type Segment = { text: string } | { ctl: string };

export function segments(value: unknown, max?: number): Segment[] {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  const clipped = max !== undefined && s.length > max;
  if (clipped) s = s.slice(0, max);
  const out: Segment[] = [];
  let last = 0;
  for (const m of s.matchAll(CONTROL)) {
    if (m.index > last) out.push({ text: s.slice(last, m.index) });
    out.push({ ctl: `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` });
    last = m.index + 1;
  }
  if (last < s.length) out.push({ text: s.slice(last) });
  if (clipped) out.push({ text: '…' });
  return out;
}

// With no letter to go by, dir=auto falls back to the page's direction, and "+966…" would read
// "…966+" in Arabic: numbers, ids and times are left-to-right.
export const bidiDir = (v: unknown) => (typeof v === 'string' && /\p{L}/u.test(v) ? 'auto' : 'ltr');

/** JSON with every non-ASCII control escaped: the exact value, unambiguous to read. */
export const exactJson = (v: unknown) =>
  JSON.stringify(v, null, 2).replace(CONTROL, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);

/** Plain text for where no markup may go (an <option>, the <title>): controls written out as [U+XXXX]. */
export const visible = (value: unknown, max?: number) =>
  segments(value, max).map((s) => ('ctl' in s ? `[${s.ctl}]` : s.text)).join('');

export function createViews(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(VIEWS, { noCache: false }), {
    autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true,
  });
  env.addFilter('segments', segments);
  env.addFilter('visible', visible);
  env.addFilter('exactJson', exactJson);
  env.addFilter('bidiDir', bidiDir);
  env.addFilter('json', (v: unknown) => JSON.stringify(v));
  return env;
}
