// The CSV connector: an import file in the utility's column layout, dropped where staff (or a
// contractor) pick it up. Writing the row only prepares the planting; it is planted when staff
// confirm the import and give the ticket number (`tracer plantings confirm`).
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../errors.ts';
import { compileExpression, requestContext, type Expression } from '../expressions.ts';
import type { CsvSettings } from '../settings.ts';
import type { PlannedWrites, PlantResult, PlantingDetails, PlantingRequest, PlantingTarget, VerifyResult } from '../target.ts';
import { csvRecord, neutraliseCell, parseCsv, quoteCell } from './format.ts';
import { ProfileShaper } from '../profile/shaper.ts';
import type { TargetProfile, TargetSample } from '../profile/types.ts';
import type { ProfileState, SampleOptions } from '../target.ts';
import { CSV_TABLE, headerHash, sampleCsv } from './profiled.ts';

const ROOTS = { roots: ['persona', 'ticket', 'variant', 'channel', 'routing', 'externalRef'] };

interface CsvDetails {
  file: string;
  key: string;
  cells: string[];
  writtenAt: string;
}

export class CsvTarget implements PlantingTarget {
  readonly kind = 'csv';
  readonly name: string;
  private readonly columns: Expression[];
  private readonly keyIndex: number;
  private shaper: ProfileShaper | null = null;
  private profileWarning: string | undefined;

  constructor(private readonly s: CsvSettings, private readonly clock: () => Date) {
    this.name = s.name;
    this.columns = s.columns.map((c) => compileExpression(c.value, ROOTS));
    this.keyIndex = s.keyColumn ? s.columns.findIndex((c) => c.header === s.keyColumn) : 0;
  }

  /** Real rows: the CSV files already in the directory with this target's header. */
  async sample(o: SampleOptions): Promise<TargetSample> {
    return sampleCsv(this.s, this.keyIndex, o.limit, o.exclude.get(CSV_TABLE) ?? new Set(), o.onProgress);
  }

  /** Cells are drawn to the profile (phone layout, id scheme, dates, shares); a profile of another header is refused. */
  useProfile(profile: TargetProfile | null): void {
    this.profileWarning = profile && profile.schemaHash !== headerHash(this.s)
      ? `target "${this.name}": the profile learned ${profile.learnedAt} has another header; canaries use declared formats` : undefined;
    const columns = Object.fromEntries(this.s.columns.map((c) => [c.header, c.value]));
    const key = this.s.columns[this.keyIndex]!.header;
    this.shaper = profile && !this.profileWarning
      ? new ProfileShaper(profile, CSV_TABLE, [{ table: CSV_TABLE, key, generated: false, unique: [key], lookup: [key], columns }], this.clock) : null;
  }

  profileState(): ProfileState {
    if (this.profileWarning) return { state: 'refused', warning: this.profileWarning };
    return this.shaper ? { state: 'applied', learnedAt: this.shaper.profile.learnedAt } : { state: 'none' };
  }

  async plant(r: PlantingRequest): Promise<PlantResult> {
    const cells = this.cellsFor(r);
    const file = this.fileName(this.s.fileName);
    try {
      this.append(file, this.s.columns.map((c) => c.header), cells);
    } catch (err) {
      throw new AppError('target-unavailable', `target "${this.name}": cannot write ${file}: ${(err as Error).message}`, 502);
    }
    const details: CsvDetails = { file, key: cells[this.keyIndex]!, cells, writtenAt: this.clock().toISOString() };
    return { awaitingConfirmation: true, details: { ...details } };
  }

  async plan(r: PlantingRequest): Promise<PlannedWrites> {
    const cells = this.cellsFor(r);
    return { steps: [{
      action: 'csv-row', file: path.join(this.s.directory, this.fileName(this.s.fileName)),
      header: this.s.columns.map((c) => c.header), cells, record: csvRecord(cells, this.s.delimiter),
    }] };
  }

  async withdraw(externalRef: string | null, details?: PlantingDetails): Promise<{ note: string }> {
    const d = details as Partial<CsvDetails> | undefined;
    const notes: string[] = [];
    if (d?.file && d.key !== undefined && this.removeRow(d.file, d.key)) notes.push(`row removed from ${d.file} before import`);
    if (externalRef !== null) {
      if (this.s.withdraw) {
        const w = this.s.withdraw;
        const file = this.fileName(w.fileName);
        const cells = w.columns.map((c) => compileExpression(c.value, ROOTS).evaluate({ externalRef }));
        this.append(file, w.columns.map((c) => c.header), cells.map((c) => (c === null ? '' : String(c))));
        notes.push(`closing row for ticket ${externalRef} written to ${file}: import it to close the ticket`);
      } else {
        notes.push(`ticket ${externalRef} was imported: close it in the utility's system`);
      }
    }
    return { note: notes.join('; ') || 'nothing of this planting was found to withdraw' };
  }

  /** Compares the row in the import file with what was written. Once imported, the file is the utility's to archive. */
  async verify(_externalRef: string | null, details: PlantingDetails): Promise<VerifyResult> {
    const d = details as Partial<CsvDetails>;
    if (!d.file || !d.cells) return { state: 'unverifiable', reason: 'the planting recorded no row' };
    const rows = this.read(d.file);
    if (!rows) return { state: 'unverifiable', reason: `import file ${d.file} is no longer in ${this.s.directory}` };
    const [header, ...body] = rows;
    const row = body.find((r) => r[this.keyIndex] === d.key);
    if (!row) return { state: 'missing', what: `row ${d.key} of ${d.file}` };
    const differences = d.cells.flatMap((written, i) =>
      row[i] === written ? [] : [{ field: header?.[i] ?? `column ${i + 1}`, written, found: row[i] ?? null }]);
    return differences.length ? { state: 'altered', differences } : { state: 'intact' };
  }

  /** After a crash: the row is in an import file (awaiting confirmation) or was never written. */
  async find(r: PlantingRequest): Promise<PlantResult | null> {
    const cells = this.cellsFor(r);
    const pattern = new RegExp(`^${this.s.fileName.replace(/[.]/g, '\\.').replace('{date}', '\\d{4}-\\d{2}-\\d{2}')}$`);
    const files = fs.existsSync(this.s.directory) ? fs.readdirSync(this.s.directory).filter((f) => pattern.test(f)) : [];
    for (const file of files) {
      const row = this.read(file)?.slice(1).find((x) => x[this.keyIndex] === cells[this.keyIndex]);
      if (row) return { awaitingConfirmation: true, details: { file, key: cells[this.keyIndex]!, cells: row, writtenAt: null } };
    }
    return null;
  }

  private cellsFor(r: PlantingRequest): string[] {
    const ctx = requestContext(r);
    return this.columns.map((ex, i) => {
      const header = this.s.columns[i]!.header;
      const raw = ex.evaluate(ctx, `target "${this.name}" column ${header}`);
      const v = this.shaper ? this.shaper.shape(CSV_TABLE, header, raw, ctx) : raw;
      return neutraliseCell(v === null ? '' : String(v));
    });
  }

  private fileName(pattern: string): string {
    return pattern.replace('{date}', this.clock().toISOString().slice(0, 10));
  }

  private append(file: string, header: string[], cells: string[]): void {
    const full = path.join(this.s.directory, file);
    fs.mkdirSync(this.s.directory, { recursive: true });
    if (!fs.existsSync(full)) fs.writeFileSync(full, (this.s.bom ? '\uFEFF' : '') + csvRecord(header, this.s.delimiter), { flag: 'wx' });
    fs.appendFileSync(full, csvRecord(cells, this.s.delimiter));
  }

  private read(file: string): string[][] | null {
    const full = path.join(this.s.directory, file);
    if (!fs.existsSync(full)) return null;
    return parseCsv(fs.readFileSync(full, 'utf8'), this.s.delimiter);
  }

  /** Rewrites the import file without this planting's row; every other row stays as it was. */
  private removeRow(file: string, key: string): boolean {
    const rows = this.read(file);
    if (!rows) return false;
    const kept = rows.filter((r, i) => i === 0 || r[this.keyIndex] !== key);
    if (kept.length === rows.length) return false;
    const full = path.join(this.s.directory, file);
    const text = (this.s.bom ? '\uFEFF' : '') + kept.map((r) => r.map((c) => quoteCell(c, this.s.delimiter)).join(this.s.delimiter) + '\r\n').join('');
    fs.writeFileSync(`${full}.tmp`, text);
    fs.renameSync(`${full}.tmp`, full);
    return true;
  }
}
