// Lists at the console: CSV that a spreadsheet cannot turn into a formula, streamed page by page.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'csv-parse/sync';
import { neutralise, writeList, type ListSpec } from '../../src/cli/output.ts';
import type { Page } from '../../src/store/paging.ts';

afterEach(() => vi.restoreAllMocks());

type Row = { id: string; name: string };
const spec: ListSpec<Row> = { name: 'rows', columns: ['id', 'name'], row: (r) => r, present: (r) => r };

function pages(rows: Row[], size: number) {
  const fetched: number[] = [];
  const fetch = (cursor: string | undefined): Page<Row> => {
    const at = cursor ? Number(cursor) : 0;
    fetched.push(at);
    const items = rows.slice(at, at + size);
    return { items, nextCursor: at + size < rows.length ? String(at + size) : null };
  };
  return { fetch, fetched };
}

function captured(): () => string {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  return () => out;
}

describe('CSV at the console', () => {
  it('when a cell starts like a formula (= + - @ tab CR), then it gets a leading quote mark and nothing else changes', () => {
    expect(neutralise('=HYPERLINK("http://x","call me")')).toBe(`'=HYPERLINK("http://x","call me")`);
    expect(neutralise('+966593301234')).toBe(`'+966593301234`);
    expect(neutralise('-1+2')).toBe(`'-1+2`);
    expect(neutralise('@SUM(A1)')).toBe(`'@SUM(A1)`);
    // ...and a control character is shown, never passed on raw (issue 13: caller text neutralised everywhere).
    expect(neutralise('\tx')).toBe(`'<U+0009>x`);
    expect(neutralise('\rx')).toBe(`'<U+000D>x`);
    expect(neutralise('AQUA FIX')).toBe('AQUA FIX');
    expect(neutralise(42)).toBe('42');
    expect(neutralise(null)).toBe('');
  });

  it('when a hostile caller name has commas, quotes and newlines, then the CSV still parses back to the same cells', async () => {
    const out = captured();
    const hostile = '=cmd|" /C calc"!A0,\n"evil"';
    await writeList({ format: 'csv' }, spec, pages([{ id: 'h1', name: hostile }], 10).fetch);
    const rows = parse(out(), { columns: true }) as Row[];
    expect(rows).toEqual([{ id: 'h1', name: `'${hostile.replace('\n', '<U+000A>')}` }]);
  });

  it('when the list spans many pages, then csv and jsonl stream every item once, fetching page after page', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ id: `r${i}`, name: `n${i}` }));
    const out = captured();
    const { fetch, fetched } = pages(rows, 10);
    expect(await writeList({ format: 'jsonl' }, spec, fetch)).toBe(25);
    expect(fetched).toEqual([0, 10, 20]);
    expect(out().trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(rows.map((r) => r.id));
  });

  it('when --limit is given, then at most that many, and json carries the cursor for the rest', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ id: `r${i}`, name: `n${i}` }));
    const out = captured();
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await writeList({ format: 'json', limit: 10 }, spec, pages(rows, 10).fetch);
    const body = JSON.parse(out());
    expect(body.rows).toHaveLength(10);
    expect(body.nextCursor).toBe('10');
  });
});
