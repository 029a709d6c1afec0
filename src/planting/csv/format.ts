// CSV as RFC 4180 writes it, with one addition for files people open in a spreadsheet: a cell that
// starts with = + - @ TAB or CR would run as a formula, so it is prefixed with ' (OWASP's advice).

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** RFC 4180 quoting only: the cell's text is kept as it is. */
export function quoteCell(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One record: neutralised, quoted where needed, CRLF-terminated. */
export function csvRecord(cells: Array<string | number | boolean | null>, delimiter = ','): string {
  return `${cells.map((c) => quoteCell(neutraliseCell(c === null ? '' : String(c)), delimiter)).join(delimiter)}\r\n`;
}

/** Parses RFC 4180 text (quoted fields may hold delimiters, quotes and line breaks). */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') {
      quoted = true;
    } else if (ch === delimiter) {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += ch;
    }
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
