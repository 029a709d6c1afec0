// Learning a CSV target: the real rows are the files already in its directory with the same
// header (the utility's or contractor's own exports), read up to a bound, rows the tracer wrote
// left out. The "schema" a profile is tied to is the header.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CsvSettings } from '../settings.ts';
import type { TargetSample } from '../profile/types.ts';
import { parseCsv } from './format.ts';

export const CSV_TABLE = 'csv';

export const headerHash = (s: CsvSettings) => createHash('sha256').update(s.columns.map((c) => c.header).join('\u0000')).digest('hex');

export function sampleCsv(s: CsvSettings, keyIndex: number, limit: number, exclude: Set<string>, onProgress?: (done: number, total: number) => void): TargetSample {
  const header = s.columns.map((c) => c.header);
  const files = fs.existsSync(s.directory) ? fs.readdirSync(s.directory).filter((f) => f.endsWith('.csv')).sort().reverse() : [];
  const rows: string[][] = [];
  for (const [i, file] of files.entries()) {
    if (rows.length >= limit) break;
    const [head, ...body] = parseCsv(fs.readFileSync(path.join(s.directory, file), 'utf8'), s.delimiter);
    onProgress?.(i + 1, files.length);
    if (head?.join('\u0000') !== header.join('\u0000')) continue;
    rows.push(...body.filter((r) => !exclude.has(r[keyIndex] ?? '')).slice(0, limit - rows.length));
  }
  return {
    schemaHash: headerHash(s),
    rowsPerTable: { [CSV_TABLE]: rows.length },
    columns: s.columns.map((c, i) => ({
      table: CSV_TABLE, column: c.header, source: c.value, isKey: i === keyIndex, generated: false,
      // A spreadsheet-safe cell carries a leading ' the real value did not have.
      values: rows.map((r) => (r[i] ?? '').replace(/^'(?=[=+\-@\t\r])/, '') || null),
    })),
  };
}
