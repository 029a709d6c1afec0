import type { Migration } from '../migrate.ts';
import { entryHash, GENESIS_HASH } from '../../evidence/chain.ts';
import { BOUND_TABLES, FACT_TABLES, FactReader, factHash } from '../../evidence/facts.ts';
import { BACKFILL_KIND } from '../../evidence/verify-bound.ts';

// Target profiles, parties, cases and hit notes become fact tables: every write binds its row in
// the evidence log. Rows written before that carry no binding, and nothing in their old entries
// proves them whole, so each is bound here as it is found, one entry per row in insert order.
// Verify then proves them from now on and counts them as unproven before (it never claims more).
export const factBindingBackfill: Migration = {
  id: '20261217100000-fact-binding-backfill',
  up(db) {
    const reader = new FactReader(db);
    const insert = db.prepare(
      `INSERT INTO evidence_log (at, kind, subject, payload, prev_hash, hash, fact_table, fact_id, fact_hash)
       VALUES (@at, @kind, @subject, @payload, @prev_hash, @hash, @fact_table, @fact_id, @fact_hash)`,
    );
    let prev = (db.prepare('SELECT hash FROM evidence_log ORDER BY seq DESC LIMIT 1').pluck().get() as string | undefined) ?? GENESIS_HASH;
    const at = new Date().toISOString();
    for (const table of BOUND_TABLES) {
      const t = FACT_TABLES[table];
      // Read whole first: better-sqlite3 does not write while a read is iterating. Stores from
      // before binding hold few of these rows (profiles per target, investigators' acts).
      const rows = db.prepare(`SELECT ${t.columns.join(', ')} FROM ${t.table} ORDER BY rowid`).all() as Array<Record<string, unknown>>;
      for (const raw of rows) {
        const id = String(raw[t.key]);
        const row = {
          prev_hash: prev, at, kind: BACKFILL_KIND, subject: id,
          payload: JSON.stringify({ table, reason: 'written before the evidence log bound this table: bound as found, not proven before' }),
          fact_table: table, fact_id: id, fact_hash: factHash(table, reader.withChildren(table, raw)),
        };
        prev = entryHash(row);
        insert.run({ ...row, hash: prev });
      }
    }
  },
};
