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
        p: c.probability.toFixed(3),
        channel: c.name,
        canaries: c.canaries,
        called: c.canariesCalled,
        hits: c.hits,
        'first contact (min)': c.firstContactMinutes,
        'main reason': c.reasons[0] ?? '',
      })),
      ['verdict', 'p', 'channel', 'canaries', 'called', 'hits', 'first contact (min)', 'main reason'],
    ),
  );
  if (r.nextCursor) out.push(`(more channels: --cursor ${r.nextCursor})`);
  for (const c of r.channels.filter((x) => x.callers.length > 0)) {
    out.push('', `Callers to canaries of "${clean(c.name)}":`);
    for (const caller of c.callers) {
      const mark = c.party?.number === caller.number ? '  <- most likely leak party' : '';
      out.push(`  ${clean(caller.number)}  ${clean(caller.name) || '(no caller name)'}${mark}`);
    }
    if (c.callersTotal > c.callers.length) out.push(`  … and ${c.callersTotal - c.callers.length} more`);
  }
  const n = r.noise;
  out.push('', `Numbers no leak could have given: ${n.unmatchedHits} hit(s) to numbers no canary holds, ${n.beforePlantingHits} before planting, ` +
    `${n.controlHits} to controls, ${n.burnInHits} during burn-in; callers who rang them (weighed down, not ruled out): ` +
    `${n.noiseCallers.map(clean).join(', ') || 'none'}${(n.noiseCallersTotal ?? 0) > n.noiseCallers.length ? ` and ${n.noiseCallersTotal - n.noiseCallers.length} more` : ''}.`);
  out.push(n.controlCallsPerNumberDay === null
    ? 'Background rate: no control numbers in service yet (keep some to measure it).'
    : `Background rate on ${n.controlNumbers} control number(s): ${n.controlCallsPerNumberDay.toFixed(2)} calls per number-day over ${n.controlNumberDays.toFixed(1)} number-days.`);
  if (r.model) {
    out.push(`Model: background ${r.model.backgroundPerNumberDay} calls per number-day (controls and burn-in, with a prior), ` +
      `call-back probability ${r.model.callBackProbability}, prior ${r.model.prior}, ${r.model.method} decoding.`);
  }
  return out.join('\n');
}
