// Parties as rows for spreadsheets and scripts (tracer parties list --format csv|jsonl, GET
// /api/v1/parties?format=csv|jsonl), and the read-only party figures a case's report and bundle
// show. Read page by page, so a list of many parties is never one array. Party names are written
// by the people we trace (a proposed party is named after its caller name): CSV cells are
// formula-neutralised and their control and bidi characters shown as <U+XXXX>; JSON lines escape them.
import type { Db } from '../store/db.ts';
import { csvRows } from '../exports/csv.ts';
import type { ExportFormat } from '../exports/report.ts';
import { neutralise, terminalJson } from '../text/unicode.ts';
import { contactFigures } from './report-view.ts';
import type { Ground, PartyRow, PartyStatus } from './repository.ts';

const PAGE = 500;

export const PARTY_COLUMNS = ['id', 'name', 'status', 'numbers', 'grounds', 'calls', 'sms', 'firstContact', 'lastContact', 'createdAt', 'updatedAt'];

export interface PartyExportRow extends PartyRow {
  calls: number;
  sms: number;
  firstContact: string | null;
  lastContact: string | null;
}

interface Row { id: string; name: string; status: PartyStatus; grounds: string; created_at: string; updated_at: string }

/** One page of parties in (created_at, id) order after the given key, with their numbers. */
export function partiesAfter(db: Db, after: { createdAt: string; id: string } | null, limit = PAGE): PartyRow[] {
  const rows = db.prepare(`SELECT * FROM parties WHERE @at IS NULL OR (created_at, id) > (@at, @id) ORDER BY created_at, id LIMIT @limit`)
    .all({ at: after?.createdAt ?? null, id: after?.id ?? null, limit }) as Row[];
  return withNumbers(db, rows);
}

/** These parties (those that exist), with their numbers, in the order asked. */
export function partiesByIds(db: Db, ids: string[]): PartyRow[] {
  const rows = db.prepare('SELECT * FROM parties WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Row[];
  const byId = new Map(withNumbers(db, rows).map((p) => [p.id, p]));
  return ids.map((id) => byId.get(id)).filter((p): p is PartyRow => p !== undefined);
}

/** The party a caller number belongs to (any status), if any. */
export function partyIdOfNumber(db: Db, phone: string): string | undefined {
  return db.prepare('SELECT party_id FROM party_numbers WHERE phone_number = ?').pluck().get(phone) as string | undefined;
}

/** The notes investigators wrote on a party, oldest first. */
export function partyNotes(db: Db, partyId: string): Array<{ at: string; actor: string; text: string }> {
  return db.prepare('SELECT at, actor, text FROM party_notes WHERE party_id = ? ORDER BY id').all(partyId) as Array<{ at: string; actor: string; text: string }>;
}

function withNumbers(db: Db, rows: Row[]): PartyRow[] {
  const nums = new Map<string, string[]>();
  for (const [n, p] of db.prepare('SELECT phone_number, party_id FROM party_numbers WHERE party_id IN (SELECT value FROM json_each(?)) ORDER BY phone_number')
    .raw().all(JSON.stringify(rows.map((r) => r.id))) as Array<[string, string]>) nums.set(p, [...(nums.get(p) ?? []), n]);
  return rows.map((r) => ({ id: r.id, name: r.name, status: r.status, grounds: JSON.parse(r.grounds) as Ground[], numbers: nums.get(r.id) ?? [],
    createdAt: r.created_at, updatedAt: r.updated_at }));
}

const groundsText = (g: Ground[]) => g.map((x) => `${x.kind}: ${x.value}`).join('; ');
const csvRow = (p: PartyExportRow) => [p.id, neutralise(p.name), p.status, p.numbers.join(' '), neutralise(groundsText(p.grounds)), p.calls, p.sms,
  p.firstContact, p.lastContact, p.createdAt, p.updatedAt];

/** Every party, page after page, as CSV (header first, optional BOM) or JSON lines. Returns how many. */
export async function exportParties(db: Db, format: ExportFormat, write: (chunk: string) => Promise<void> | void, o: { bom?: boolean } = {}): Promise<number> {
  let n = 0;
  let after: { createdAt: string; id: string } | null = null;
  if (format === 'csv') await write(csvRows([], PARTY_COLUMNS, o.bom));
  for (;;) {
    const page = partiesAfter(db, after);
    if (page.length === 0) break;
    const rows = page.map((p): PartyExportRow => ({ ...p, ...contactFigures(db, p.numbers) }));
    if (format === 'csv') await write(csvRows(rows.map(csvRow), null));
    else for (const r of rows) await write(`${terminalJson(r, 0)}\n`);
    n += page.length;
    const last = page[page.length - 1]!;
    after = { createdAt: last.createdAt, id: last.id };
  }
  return n;
}
