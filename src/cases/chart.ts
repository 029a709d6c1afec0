import type { CaseScope } from './scope.ts';

// Contacts over time as an inline SVG bar chart, drawn here so the PDF needs no script. Only
// numbers and dates go into it (no caller text), so there is nothing to escape.

const W = 640;
const H = 180;
const PAD = 28;

export function contactsChart(scope: CaseScope, caseId: string): string {
  const span = scope.span(caseId);
  if (!span.first || !span.last) return '';
  const hourly = Date.parse(span.last) - Date.parse(span.first) < 3 * 86_400_000;
  const rows = fillGaps(scope.contactsOverTime(caseId, hourly ? 13 : 10), hourly);
  const max = Math.max(...rows.map((r) => r.hits), 1);
  const bw = Math.min((W - 2 * PAD) / rows.length, 40); // a lone bar stays a bar
  const bars = rows.map((r, i) => {
    const h = ((H - 2 * PAD) * r.hits) / max;
    const x = PAD + i * bw;
    return `<rect x="${x.toFixed(1)}" y="${(H - PAD - h).toFixed(1)}" width="${Math.max(bw - 2, 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#2f5d8a"><title>${r.bucket}: ${r.hits}</title></rect>`;
  });
  const label = (s: string) => (hourly ? `${s.slice(5, 10)} ${s.slice(11, 13)}h` : s.slice(0, 10));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" direction="ltr">` +
    `<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#555"/>${bars.join('')}` +
    `<text x="${PAD}" y="${H - 8}" font-size="10">${label(rows[0]!.bucket)}</text>` +
    `<text x="${W - PAD}" y="${H - 8}" font-size="10" text-anchor="end">${label(rows[rows.length - 1]!.bucket)}</text>` +
    `<text x="${PAD}" y="${PAD - 8}" font-size="10">max ${max}</text></svg>`;
}

/** Empty days (or hours) get a zero bar, so the axis is time, not a list of busy days. At most 400 bars. */
function fillGaps(rows: Array<{ bucket: string; hits: number }>, hourly: boolean): Array<{ bucket: string; hits: number }> {
  const step = hourly ? 3_600_000 : 86_400_000;
  const toMs = (b: string) => Date.parse(hourly ? `${b}:00:00Z` : `${b}T00:00:00Z`);
  const first = toMs(rows[0]!.bucket);
  const last = toMs(rows[rows.length - 1]!.bucket);
  if ((last - first) / step > 400) return rows;
  const byBucket = new Map(rows.map((r) => [r.bucket, r.hits]));
  const out: Array<{ bucket: string; hits: number }> = [];
  for (let t = first; t <= last; t += step) {
    const bucket = new Date(t).toISOString().slice(0, hourly ? 13 : 10);
    out.push({ bucket, hits: byBucket.get(bucket) ?? 0 });
  }
  return out;
}
