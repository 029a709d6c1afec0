// `tracer plantings confirm` for many at once: planting=ref pairs, or the import report as CSV.
import { parse } from 'csv-parse/sync';
import type { App } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { PlantingRepository } from '../../planting/repository.ts';
import { clean, table } from '../format.ts';
import { print } from '../context.ts';
import { outcomeSummary, progress } from '../progress.ts';
import { counts } from './plantings.ts';

export interface Confirmation {
  /** A planting id, or the key the import file's row carried (the import report names rows by it). */
  planting?: string;
  key?: string;
  ref: string;
  at?: string;
}

const MAX_ROWS = 100_000;

export function parseConfirmations(args: string[], ref: string | undefined, fileText: string | undefined): Confirmation[] {
  if (fileText !== undefined) {
    if (args.length || ref) throw new AppError('invalid-request', '--file: give the report alone, without planting ids or --ref');
    return fromReport(fileText);
  }
  if (args.length === 1 && ref) return [{ planting: args[0]!, ref }];
  if (ref) throw new AppError('invalid-request', '--ref: one planting id only; for several write id=ref pairs, or use --file');
  if (args.length === 0) throw new AppError('invalid-request', 'name a planting (with --ref), id=ref pairs, or --file');
  return args.map((a) => {
    const m = /^([^=\s]+)=(.+)$/.exec(a);
    if (!m) throw new AppError('invalid-request', `"${a}": expected planting=ref (or one planting id with --ref)`);
    return { planting: m[1]!, ref: m[2]!.trim() };
  });
}

function fromReport(text: string): Confirmation[] {
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true, to: MAX_ROWS });
  } catch (err) {
    throw new AppError('invalid-request', `--file: not a CSV file: ${(err as Error).message}`);
  }
  if (rows.length === 0) throw new AppError('invalid-request', '--file: no rows');
  const cols = Object.keys(rows[0]!);
  if (!cols.includes('ref') || !(cols.includes('planting') || cols.includes('key'))) {
    throw new AppError('invalid-request', `--file: needs a "ref" column and a "planting" or "key" column (found: ${cols.map((c) => clean(c)).join(', ')})`);
  }
  return rows.map((r) => ({ planting: r.planting || undefined, key: r.key || undefined, ref: r.ref ?? '', at: r.at || undefined }));
}

type Outcome = { row: number; planting: string | null; ref: string; outcome: 'confirmed' | 'failed'; error?: string };

/** Each confirmation stands alone: one bad row is reported, the others still go in. */
export async function confirmMany(app: App, wanted: Confirmation[], at: string | undefined, json: boolean): Promise<void> {
  const repo = new PlantingRepository(app.services.db);
  const bar = progress('confirm', wanted.length, json);
  const out: Outcome[] = [];
  for (const [i, w] of wanted.entries()) {
    let planting: string | null = w.planting ?? null;
    try {
      if (!planting) {
        const found = repo.awaitingByKey(w.key!);
        if (found.length !== 1) throw new AppError('not-found', found.length ? `key ${w.key} matches ${found.length} plantings` : `no planting awaits confirmation with key ${w.key}`);
        planting = found[0]!;
      }
      app.services.plantings.confirm(planting, { ref: w.ref, at: w.at ?? at });
      out.push({ row: i + 1, planting, ref: w.ref, outcome: 'confirmed' });
    } catch (err) {
      out.push({ row: i + 1, planting, ref: w.ref, outcome: 'failed', error: err instanceof Error ? err.message : String(err) });
    }
    bar.tick();
  }
  bar.stop();
  const failed = out.filter((o) => o.outcome === 'failed');
  print(json, { summary: counts(out.map((o) => o.outcome)), results: out }, () => [
    ...(failed.length ? [table(failed.map((f) => ({ row: f.row, planting: f.planting, ref: f.ref, error: f.error ?? null })), ['row', 'planting', 'ref', 'error']), ''] : []),
    `${out.length} confirmation(s): ${outcomeSummary(out.map((o) => o.outcome), ['failed'])}`,
  ].join('\n'));
  if (failed.length) process.exitCode = 1;
}
