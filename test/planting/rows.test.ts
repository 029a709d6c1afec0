import { describe, expect, it } from 'vitest';
import { RowWriter } from '../../src/planting/sql/rows.ts';
import type { Statement } from '../../src/planting/sql/dialect.ts';
import type { Row, SqlTx } from '../../src/planting/sql/driver.ts';
import { sqlMapping } from '../../src/planting/settings.ts';

const mapping = sqlMapping.parse({
  tables: [{ table: 'service_tickets', key: 'ticket_id', generated: true, columns: { reference: 'variant.reference' }, lookup: ['reference'] }],
});

/** PostgreSQL as it might answer a multi-row INSERT ... RETURNING: keys 1..n, in the order given. */
function fakeTx(order: (rows: Row[]) => Row[]): SqlTx & { statements: Statement[] } {
  const statements: Statement[] = [];
  return {
    statements,
    async query() { return []; },
    async run() { return 0; },
    async insert(st) {
      statements.push(st);
      return order((st.params as string[]).map((reference, i) => ({ ticket_id: i + 1, reference })));
    },
  };
}
const requests = (refs: string[]) => refs.map((reference) => ({ ctx: { variant: { index: 0, fullName: 'x', description: 'y', reference } } }));
const keysOf = (written: Awaited<ReturnType<RowWriter['write']>>) => written.map((rows) => rows[0]!.key);

describe('keys a multi-row INSERT returns', () => {
  const writer = new RowWriter('cis', 'postgres', mapping);

  it('when rows come back in VALUES order, then each keeps its key even if look-up values repeat', async () => {
    const tx = fakeTx((rows) => rows);
    expect(keysOf(await writer.write(tx, requests(['A', 'B', 'A'])))).toEqual([1, 2, 3]);
    expect(tx.statements[0]!.sql).toBe('INSERT INTO "service_tickets" ("reference") VALUES ($1), ($2), ($3) RETURNING "ticket_id", "reference"');
  });

  it('when rows come back out of order, then keys are matched by their look-up values', async () => {
    expect(keysOf(await writer.write(fakeTx((rows) => [...rows].reverse()), requests(['A', 'B', 'C'])))).toEqual([1, 2, 3]);
  });

  it('when rows come back out of order and look-up values repeat, then nothing is guessed: the batch fails', async () => {
    await expect(writer.write(fakeTx((rows) => [rows[2]!, rows[0]!, rows[1]!]), requests(['A', 'A', 'B']))).rejects.toThrow(/out of order and their look-up values repeat/);
  });
});
