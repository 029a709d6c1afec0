import { createHash } from 'node:crypto';
import type { Db } from '../store/db.ts';

// The fact tables the evidence log binds, and each one's canonical form: the columns that are the
// fact, in a fixed order. A log entry that names a fact carries the SHA-256 of that form, and its
// own hash covers it: editing, deleting or inserting a fact row shows on verify.
//
// Columns left out are derived and re-derivable, never facts: a hit's call_status and duration
// (summarised from its status events, which are bound), caller_name and caller_info (the caller
// look-up). Verify re-derives the shown ones from what is bound (src/evidence/verify-derived.ts). A planting changes state, so each transition is a new entry binding its new state; the
// latest entry for a planting must match the row as it stands.
//
// Profiles and investigators' acts are stateful too. A party or a case is one fact with its
// children (a party's numbers and notes; a case's links and notes), so an act that changes a child
// rebinds its parent, and moving a note or number between parties changes both. A row an act
// removes (a party merged away) is bound as removed: its id with no columns.

export interface FactTable {
  table: string;
  key: string;
  columns: readonly string[];
  /** 'append-only': one entry per row, in insert order. 'stateful': the latest entry binds the row. */
  mode: 'append-only' | 'stateful';
  /** The key is an INTEGER (entries keep it as text). */
  intKey?: boolean;
  /** Rows that belong to the fact, selected by its key and in a fixed order. */
  children?: ReadonlyArray<{ name: string; sql: string }>;
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
  target_profiles: {
    table: 'target_profiles', key: 'target', mode: 'stateful',
    columns: ['target', 'learned_at', 'schema_hash', 'hash', 'profile'],
  },
  parties: {
    table: 'parties', key: 'id', mode: 'stateful',
    columns: ['id', 'name', 'status', 'grounds', 'created_at', 'updated_at'],
    children: [
      { name: 'numbers', sql: 'SELECT phone_number FROM party_numbers WHERE party_id = ? ORDER BY phone_number' },
      { name: 'notes', sql: 'SELECT id, at, actor, text FROM party_notes WHERE party_id = ? ORDER BY id' },
    ],
  },
  cases: {
    table: 'cases', key: 'id', mode: 'stateful',
    columns: ['id', 'title', 'description', 'status', 'assignee', 'notice', 'created_by', 'created_at', 'updated_at'],
    children: [
      { name: 'links', sql: 'SELECT kind, ref, linked_by, linked_at FROM case_links WHERE case_id = ? ORDER BY kind, ref' },
      { name: 'notes', sql: 'SELECT id, author, text, created_at FROM case_notes WHERE case_id = ? ORDER BY id' },
    ],
  },
  hit_notes: {
    table: 'hit_notes', key: 'id', mode: 'append-only', intKey: true,
    columns: ['id', 'hit_id', 'at', 'actor', 'text'],
  },
} as const satisfies Record<string, FactTable>;

export type FactTableName = keyof typeof FACT_TABLES;
export const isFactTable = (t: string): t is FactTableName => Object.hasOwn(FACT_TABLES, t);

/** Tables introduced with binding from the start: verified purely by their bound entries. */
export const BOUND_TABLES = ['target_profiles', 'parties', 'cases', 'hit_notes'] as const satisfies readonly FactTableName[];

/**
 * What a writer hands EvidenceLog.append: the table and key of the row the entry records.
 * `removed`: the act deleted the row, and the entry binds its absence.
 */
export interface FactRef {
  table: FactTableName;
  id: string | number;
  removed?: boolean;
}

const childrenOf = (table: FactTableName): ReadonlyArray<{ name: string; sql: string }> =>
  (FACT_TABLES[table] as FactTable).children ?? [];

/**
 * The canonical form: [table, value of each fact column in order, then each child list], as JSON.
 * A fact with children needs its row read by FactReader (which attaches them).
 */
export function canonicalRow(table: FactTableName, row: Record<string, unknown>): string {
  return JSON.stringify([table, ...FACT_TABLES[table].columns.map((c) => row[c] ?? null), ...childrenOf(table).map((c) => row[`@${c.name}`] ?? [])]);
}

export const factHash = (table: FactTableName, row: Record<string, unknown>): string =>
  createHash('sha256').update(canonicalRow(table, row)).digest('hex');

/** What an entry binds for a row its act removed. */
export const removedHash = (table: FactTableName, id: string | number): string =>
  createHash('sha256').update(JSON.stringify([table, String(id), 'removed'])).digest('hex');

/** Reads fact rows by key with one prepared statement per table. */
export class FactReader {
  private readonly stmts = new Map<string, ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {}

  private stmt(key: string, sql: () => string): ReturnType<Db['prepare']> {
    let s = this.stmts.get(key);
    if (!s) {
      s = this.db.prepare(sql());
      this.stmts.set(key, s);
    }
    return s;
  }

  row(table: FactTableName, id: string | number): Record<string, unknown> | undefined {
    const t = FACT_TABLES[table];
    // Identifiers come from the fixed table above, never from input.
    const row = this.stmt(table, () => `SELECT ${t.columns.join(', ')} FROM ${t.table} WHERE ${t.key} = ?`).get(id) as Record<string, unknown> | undefined;
    return row && this.withChildren(table, row);
  }

  /** Attaches a fact's children (as `@name`: rows as arrays) to its row. */
  withChildren(table: FactTableName, row: Record<string, unknown>): Record<string, unknown> {
    const children = childrenOf(table);
    if (children.length === 0) return row;
    const key = row[FACT_TABLES[table].key];
    const out = { ...row };
    for (const c of children) out[`@${c.name}`] = this.stmt(`${table}@${c.name}`, () => c.sql).raw().all(key);
    return out;
  }

  hash(ref: FactRef): string {
    const row = this.row(ref.table, ref.id);
    if (ref.removed) {
      if (row) throw new Error(`evidence: ${ref.table} row ${ref.id} still exists (append after removing it)`);
      return removedHash(ref.table, ref.id);
    }
    if (!row) throw new Error(`evidence: ${ref.table} row ${ref.id} does not exist (append after writing the fact)`);
    return factHash(ref.table, row);
  }
}
