import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/planting/csv/format.ts';
import { hitsCsv } from '../../src/cases/bundle/export.ts';

describe('hits.csv', () => {
  it('when cells begin with = + - @ tab or CR, then each is neutralised with a leading quote and the rest is kept', () => {
    const starts = ['=1+2', '+966 5', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', 'plain'];
    const text = hitsCsv(starts.map((s) => [s, 'call', '2026-01-01T00:00:00Z', s]), true);
    const rows = parseCsv(text);
    expect(rows[0]![0]).toBe('id');
    expect(rows.slice(1).map((r) => r[0])).toEqual(["'=1+2", "'+966 5", "'-2+3", "'@SUM(A1)", "'\tcmd", "'\rcmd", 'plain']);
    expect(rows.slice(1).map((r) => r[3])).toEqual(rows.slice(1).map((r) => r[0]));
  });
});
