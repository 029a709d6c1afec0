import type { Report } from '../attribution/report.ts';
import { neutralise } from '../text/unicode.ts';

// Plain-text views for people at a terminal. Caller-controlled strings (names, numbers) have their
// control and bidi characters shown as <U+XXXX>, so they cannot rewrite the terminal or a line.
export const clean = (s: string | null | undefined) => neutralise(s);

export function table(rows: Array<Record<string, string | number | null>>, columns: string[]): string {
  const cells = rows.map((r) => columns.map((c) => clean(r[c] === null || r[c] === undefined ? '-' : String(r[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export function formatReport(r: Report): string {
  const out = [`Leak report, ${r.generatedAt}`, ''];
  out.push(
    table(
      r.channels.map((c) => ({
        verdict: c.verdict.toUpperCase(),
        channel: c.name,
        canaries: c.canaries,
        called: c.canariesCalled,
        hits: c.hits,
        'first contact (min)': c.firstContactMinutes,
      })),
      ['verdict', 'channel', 'canaries', 'called', 'hits', 'first contact (min)'],
    ),
  );
  for (const c of r.channels.filter((x) => x.callers.length > 0)) {
    out.push('', `Callers to canaries of "${clean(c.name)}":`);
    for (const caller of c.callers) out.push(`  ${clean(caller.number)}  ${clean(caller.name) || '(no caller name)'}`);
  }
  const n = r.noise;
  out.push('', `Noise set aside: ${n.unmatchedHits} hit(s) to numbers no canary holds, ${n.beforePlantingHits} before planting, ` +
    `${n.controlHits} to controls, ${n.burnInHits} during burn-in; noisy callers: ${n.noiseCallers.map(clean).join(', ') || 'none'}.`);
  out.push(n.controlCallsPerNumberDay === null
    ? 'Background rate: no control numbers in service yet (keep some to measure it).'
    : `Background rate on ${n.controlNumbers} control number(s): ${n.controlCallsPerNumberDay.toFixed(2)} calls per number-day over ${n.controlNumberDays.toFixed(1)} number-days.`);
  return out.join('\n');
}
