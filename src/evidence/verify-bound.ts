// Tables bound from the day they were: target profiles, parties, cases, hit notes. Every write of
// such a row appends an entry binding it ({table, id}, or its removal), so verify needs no payload:
// a stateful row must match its latest binding, an append-only row its one binding in insert order.
//
// Rows these tables held before binding existed were bound as found by the fact-binding backfill
// migration (entries of kind 'fact-backfilled'): from then on they are proven; what happened to
// them before cannot be, and verify says how many rows that is rather than failing or passing them.
import type { Db } from '../store/db.ts';
import type { EvidenceRow } from './chain.ts';
import { BOUND_TABLES, FACT_TABLES, FactReader, factHash, removedHash, type FactTableName } from './facts.ts';
import type { Problem, Problems } from './verify.ts';

export const BACKFILL_KIND = 'fact-backfilled';

export interface BoundResult {
  checked: number;
  /** Rows whose first binding is the backfill: proven since then, not before. */
  unproven: number;
}

const CAP = 20;

export function verifyBound(db: Db, problems: Problems, table: FactTableName): BoundResult {
  const t = FACT_TABLES[table];
  const reader = new FactReader(db);
  const rows = db.prepare(`SELECT ${t.columns.join(', ')} FROM ${t.table} ORDER BY rowid`).iterate() as IterableIterator<Record<string, unknown>>;
  const latest = db.prepare('SELECT * FROM evidence_log WHERE fact_table = ? AND fact_id = ? ORDER BY seq DESC LIMIT 1');
  const first = db.prepare('SELECT seq, kind FROM evidence_log WHERE fact_table = ? AND fact_id = ? ORDER BY seq LIMIT 1');
  let checked = 0;
  let unproven = 0;
  let reported = 0;
  let lastFirstSeq = 0;
  const report = (p: Omit<Problem, 'table'>) => {
    problems.add({ table, ...p });
    reported++;
  };
  try {
    for (const raw of rows) {
      if (reported >= CAP) break;
      const id = String(raw[t.key]);
      const row = reader.withChildren(table, raw);
      checked++;
      const binding = latest.get(table, id) as EvidenceRow | undefined;
      if (!binding) {
        report({ check: 'presence', rowId: id, message: `${table} row ${id} has no evidence entry (written outside the tracer)` });
        continue;
      }
      if (binding.fact_hash === removedHash(table, id)) {
        report({ check: 'presence', seq: binding.seq, rowId: id, message: `${table} row ${id} was removed by entry ${binding.seq} (${binding.kind}) yet is there: it was put back outside the tracer` });
        continue;
      }
      if (binding.fact_hash !== factHash(table, row)) {
        const parts = (FACT_TABLES[table] as { children?: ReadonlyArray<{ name: string }> }).children?.map((c) => c.name) ?? [];
        report({ check: 'data', seq: binding.seq, rowId: id,
          message: `${table} row ${id}${parts.length ? ` (or its ${parts.join(' or ')})` : ''} differs from what entry ${binding.seq} (${binding.kind}) recorded` });
        continue;
      }
      const f = first.get(table, id) as { seq: number; kind: string };
      if (f.kind === BACKFILL_KIND) unproven++;
      // Rows are inserted in the order their first entries were written; a row taken out and put back sits elsewhere.
      if (f.seq < lastFirstSeq) {
        report({ check: 'order', seq: f.seq, rowId: id, message: `${table} row ${id} is not where entry ${f.seq} puts it: it was deleted and re-inserted` });
        continue;
      }
      lastFirstSeq = f.seq;
    }
  } finally {
    rows.return?.();
  }
  if (reported < CAP) gone(db, table, (p) => report(p), CAP - reported);
  return { checked, unproven };
}

/** Entries whose latest binding says a row exists that does not. */
function gone(db: Db, table: FactTableName, report: (p: Omit<Problem, 'table'>) => void, limit: number): void {
  const t = FACT_TABLES[table];
  const rows = db.prepare(
    `SELECT e.seq, e.kind, e.fact_id, e.fact_hash FROM evidence_log e
     WHERE e.fact_table = @table
       AND e.seq = (SELECT max(seq) FROM evidence_log l WHERE l.fact_table = @table AND l.fact_id = e.fact_id)
       AND NOT EXISTS (SELECT 1 FROM ${t.table} r WHERE r.${t.key} = ${'intKey' in t && t.intKey ? 'CAST(e.fact_id AS INTEGER)' : 'e.fact_id'})
     ORDER BY e.seq`,
  ).iterate({ table }) as IterableIterator<{ seq: number; kind: string; fact_id: string; fact_hash: string }>;
  let n = 0;
  try {
    for (const r of rows) {
      if (r.fact_hash === removedHash(table, r.fact_id)) continue;
      report({ check: 'presence', seq: r.seq, rowId: r.fact_id, message: `entry ${r.seq} (${r.kind}) records ${table} row ${r.fact_id}, which is gone` });
      if (++n >= limit) break;
    }
  } finally {
    rows.return?.();
  }
}

/**
 * The rows `verify` counts as unproven (first bound by the backfill), per table, without
 * re-deriving every fact: for pages that show the count beside the log (the dashboard's). On a
 * store that verifies, the same numbers as the report's `unproven` (tested side by side).
 */
export function unprovenCounts(db: Db): Record<string, number> {
  const out: Record<string, number> = {};
  for (const table of BOUND_TABLES) {
    const t = FACT_TABLES[table];
    const n = db.prepare(`SELECT count(*) FROM ${t.table} AS r WHERE (SELECT kind FROM evidence_log
      WHERE fact_table = ? AND fact_id = CAST(r.${t.key} AS TEXT) ORDER BY seq LIMIT 1) = ?`).pluck().get(table, BACKFILL_KIND) as number;
    if (n > 0) out[table] = n;
  }
  return out;
}
