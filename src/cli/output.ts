import { neutralise as neutraliseText, terminalJson } from '../text/unicode.ts';
// Lists at the console: a table on a terminal (one page), or the whole list streamed as JSON,
// JSON lines or CSV, one page in memory at a time. Writes wait for the pipe to drain, so
// `tracer hits list --format csv | gzip` holds a page, not the table.
import { z } from 'zod';
import type { Page } from '../store/paging.ts';
import { table } from './format.ts';
import { progress } from './progress.ts';

export const FORMATS = ['table', 'json', 'jsonl', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export interface ListSpec<T> {
  /** The JSON key and the noun: "hits". */
  name: string;
  columns: string[];
  row(item: T): Record<string, string | number | null>;
  present(item: T): unknown;
}

export interface ListFlags {
  format: Format;
  limit?: number;
  cursor?: string;
}

/** --format, --json (= --format json), --limit, --cursor: every list command takes these. */
export const listFlagSchema = {
  format: z.enum(FORMATS).optional(),
  json: z.boolean().optional(),
  limit: z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(1).max(1_000_000)).optional(),
  cursor: z.string().min(1).max(500).optional(),
};

export function listFlags(o: { format?: Format; json?: boolean; limit?: number; cursor?: string }): ListFlags {
  return { format: o.json ? 'json' : (o.format ?? 'table'), limit: o.limit, cursor: o.cursor };
}

export async function write(chunk: string): Promise<void> {
  if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
}

/** A cell a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading '. */
export const neutralise = (v: string | number | null) => {
  const s = v === null || v === undefined ? '' : String(v);
  // Formula-prefixed by how it starts, then caller text's controls and bidi overrides shown as <U+XXXX>.
  return /^[=+\-@\t\r]/.test(s) ? `'${neutraliseText(s)}` : neutraliseText(s);
};

const TABLE_PAGE = 50;

/**
 * Writes a paged list. With --limit, at most that many items (and the cursor for more); without,
 * the table shows one page and says how to get the rest, the other formats stream everything.
 */
/**
 * `total`, when the list can count itself, draws a progress bar for a streamed export — on a terminal
 * only (stderr a TTY): a script that redirects both streams gets its rows and nothing else.
 */
export async function writeList<T>(f: ListFlags, spec: ListSpec<T>, fetch: (cursor: string | undefined, limit: number) => Page<T> | Promise<Page<T>>,
  extra: Record<string, unknown> = {}, total?: () => number): Promise<number> {
  if (f.format === 'table') {
    const page = await fetch(f.cursor, Math.min(f.limit ?? TABLE_PAGE, 1000));
    await write(`${table(page.items.map(spec.row), spec.columns)}\n`);
    if (page.nextCursor) await write(`(more: --cursor ${page.nextCursor}, or --format csv|jsonl for everything)\n`);
    return page.items.length;
  }
  const { stringify } = f.format === 'csv' ? await import('csv-stringify/sync') : { stringify: null };
  let remaining = f.limit ?? Number.POSITIVE_INFINITY;
  let cursor = f.cursor;
  let count = 0;
  let next: string | null = null;
  const bar = total && process.stderr.isTTY ? progress(spec.name, Math.min(total(), f.limit ?? Number.POSITIVE_INFINITY)) : null;
  if (f.format === 'json') await write(`{${Object.entries(extra).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`).join('')}${JSON.stringify(spec.name)}:[`);
  if (stringify) await write(stringify([spec.columns]));
  do {
    const page = await fetch(cursor, Math.min(remaining, 1000));
    for (const item of page.items) {
      if (f.format === 'json') await write(`${count ? ',' : ''}\n${terminalJson(spec.present(item), 0)}`);
      else if (f.format === 'jsonl') await write(`${terminalJson(spec.present(item), 0)}\n`);
      else {
        const r = spec.row(item);
        await write(stringify!([spec.columns.map((c) => neutralise(r[c] ?? null))]));
      }
      count++;
    }
    bar?.tick(page.items.length);
    remaining -= page.items.length;
    next = page.nextCursor;
    cursor = next ?? undefined;
  } while (next && remaining > 0);
  bar?.stop();
  if (f.format === 'json') await write(`${count ? '\n' : ''}],"nextCursor":${JSON.stringify(next)}}\n`);
  else if (next) process.stderr.write(`(more: --cursor ${next})\n`);
  return count;
}
