import { stringify } from 'csv-stringify/sync';
import { neutraliseCell } from '../planting/csv/format.ts';

/**
 * CSV for spreadsheet users, written by csv-stringify: a cell starting with = + - @ TAB or CR is
 * neutralised (a leading '), a cell holding a lone CR or LF is quoted too (csv-stringify quotes only
 * the whole record delimiter by default), CRLF between records, an optional UTF-8 BOM.
 */
export const csvRows = (rows: unknown[][], header: string[] | null, bom = false) =>
  stringify(rows, { header: header !== null, columns: header ?? undefined, bom, record_delimiter: 'windows', quoted_match: /[\r\n]/,
    cast: { string: neutraliseCell, number: String } });
