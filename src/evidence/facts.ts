import { createHash } from 'node:crypto';
import type { Db } from '../store/db.ts';

// The fact tables the evidence log binds, and each one's canonical form: the columns that are the
// fact, in a fixed order. A log entry that names a fact carries the SHA-256 of that form, and its
// own hash covers it: editing, deleting or inserting a fact row shows on verify.
//
// Columns left out are derived and re-derivable, never facts: a hit's call_status and duration
// (summarised from its status events, which are bound), caller_name and caller_info (the caller
// look-up). A planting changes state, so each transition is a new entry binding its new state; the
// latest entry for a planting must match the row as it stands.

export interface FactTable {
  table: string;
  key: string;
  columns: readonly string[];
  /** 'append-only': one entry per row, in insert order. 'stateful': the latest entry binds the row. */
  mode: 'append-only' | 'stateful';
}

export const FACT_TABLES = {
  hits: {
    table: 'hits', key: 'id', mode: 'append-only',
    columns: ['id', 'kind', 'provider_sid', 'from_number', 'to_number', 'body', 'received_at', 'number_id', 'canary_id', 'classification', 'raw'],
  },
  call_status_events: {
    table: 'call_status_events', key: 'id', mode: 'append-only',
    columns: ['id', 'call_sid', 'call_status', 'sequence_number', 'duration_seconds', 'received_at', 'raw'],
  },
  plantings: {
    table: 'plantings', key: 'id', mode: 'stateful',
    columns: ['id', 'canary_id', 'channel_id', 'target', 'status', 'variant', 'external_ref', 'planted_at', 'withdrawn_at', 'created_at'],
  },
} as const satisfies Record<string, FactTable>;

export type FactTableName = keyof typeof FACT_TABLES;
export const isFactTable = (t: string): t is FactTableName => Object.hasOwn(FACT_TABLES, t);

/** What a writer hands EvidenceLog.append: the table and key of the row the entry records. */
export interface FactRef {
  table: FactTableName;
  id: string | number;
}

/** The canonical form: [table, value of each fact column in order], as JSON. */
export function canonicalRow(table: FactTableName, row: Record<string, unknown>): string {
  return JSON.stringify([table, ...FACT_TABLES[table].columns.map((c) => row[c] ?? null)]);
}

export const factHash = (table: FactTableName, row: Record<string, unknown>): string =>
  createHash('sha256').update(canonicalRow(table, row)).digest('hex');

/** Reads fact rows by key with one prepared statement per table. */
export class FactReader {
  private readonly stmts = new Map<FactTableName, ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {}

  row(table: FactTableName, id: string | number): Record<string, unknown> | undefined {
    let stmt = this.stmts.get(table);
    if (!stmt) {
      const t = FACT_TABLES[table];
      // Identifiers come from the fixed table above, never from input.
      stmt = this.db.prepare(`SELECT ${t.columns.join(', ')} FROM ${t.table} WHERE ${t.key} = ?`);
      this.stmts.set(table, stmt);
    }
    return stmt.get(id) as Record<string, unknown> | undefined;
  }

  hash(ref: FactRef): string {
    const row = this.row(ref.table, ref.id);
    if (!row) throw new Error(`evidence: ${ref.table} row ${ref.id} does not exist (append after writing the fact)`);
    return factHash(ref.table, row);
  }
}
