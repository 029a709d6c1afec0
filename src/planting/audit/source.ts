// What the distinguisher panel reads from a target: its mapped tables (with the columns that tie a
// row to its parent rows, from the mapping's ref.<table>.<column>), pages of rows in key order,
// and rows by the values of one column. Only what an insider with read access could see.
import type { Scalar } from '../expressions.ts';
import { compileExpression } from '../expressions.ts';
import type { SqlMapping } from '../settings.ts';
import type { Row, SqlDriver } from '../sql/driver.ts';
import { pageStatement, selectInStatement } from '../sql/dialect.ts';

export interface AuditTable {
  table: string;
  key: string;
  generated: boolean;
  /** column → the mapping expression that feeds it. */
  sources: Record<string, string>;
  parents: Array<{ column: string; table: string; parentColumn: string }>;
}

export interface AuditSource {
  ticketTable: string;
  tables: AuditTable[];
  page(table: string, o: { after?: Scalar; limit: number }): Promise<Row[]>;
  whereIn(table: string, column: string, values: Scalar[]): Promise<Row[]>;
}

const SQL_ROOTS = { roots: ['persona', 'ticket', 'variant', 'channel', 'routing', 'ref'] };

export function sqlAuditSource(driver: SqlDriver, mapping: SqlMapping, ticketTable: string): AuditSource {
  const tables: AuditTable[] = mapping.tables.map((t) => ({
    table: t.table, key: t.key, generated: t.generated, sources: t.columns,
    parents: Object.entries(t.columns).flatMap(([column, e]) => compileExpression(e, SQL_ROOTS).refs.map(([table, parentColumn]) => ({ column, table, parentColumn }))),
  }));
  const cols = (table: string) => {
    const t = tables.find((x) => x.table === table)!;
    return [...new Set([t.key, ...Object.keys(t.sources)])];
  };
  return {
    ticketTable,
    tables,
    page: (table, o) => driver.query(pageStatement(driver.dialect, table, cols(table), tables.find((x) => x.table === table)!.key, o)),
    async whereIn(table, column, values) {
      const out: Row[] = [];
      for (let at = 0; at < values.length; at += 500) out.push(...(await driver.query(selectInStatement(driver.dialect, table, cols(table), column, values.slice(at, at + 500)))));
      return out;
    },
  };
}
