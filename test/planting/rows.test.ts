import { describe, expect, it } from 'vitest';
import { RowWriter } from '../../src/planting/sql/rows.ts';
import type { Statement } from '../../src/planting/sql/dialect.ts';
import type { Row, SqlTx } from '../../src/planting/sql/driver.ts';
import { sqlMapping } from '../../src/planting/settings.ts';
import { ProfileShaper } from '../../src/planting/profile/shaper.ts';
import type { TargetProfile } from '../../src/planting/profile/types.ts';

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

describe('ids the profile redraws', () => {
  const accounts = sqlMapping.parse({
    tables: [{ table: 'accounts', key: 'account_number', columns: { account_number: 'persona.accountNumber' }, unique: ['account_number'] }],
  });
  const profile: TargetProfile = {
    target: 'cis', learnedAt: '2026-11-28T09:00:00.000Z', schemaHash: 'x', rowsPerTable: { accounts: 100 },
    columns: [{
      table: 'accounts', column: 'account_number', source: 'persona.accountNumber', rows: 100, nullRate: 0, kind: 'code',
      length: { min: 8, max: 8, mean: 8, sd: 0 }, code: { pattern: '########', checkDigit: 'none', sequence: 'random' },
    }],
  };
  /** A transaction whose every look-up finds a real record holding the value. */
  function heldTx(): SqlTx & { lookups: Statement[] } {
    const lookups: Statement[] = [];
    return {
      lookups,
      async query(st) {
        lookups.push(st);
        return [{ v: String(st.params.flat()[0]) }];
      },
      async run() { return 0; },
      async insert() { return []; },
    };
  }
  const writer = new RowWriter('cis', 'postgres', accounts);
  writer.shaper = new ProfileShaper(profile, 'accounts', accounts.tables);
  const canary = (accountNumber: string) => ({ ctx: { persona: { accountNumber } as never, variant: { index: 0 } as never } });

  it('when a canary\'s own account number fits the target\'s scheme, then it is kept and not looked up again (checked before planting)', async () => {
    const tx = heldTx();
    const [rows] = await writer.write(tx, [canary('12345678')]);
    expect(rows![0]!.values.account_number).toBe('12345678');
    expect(tx.lookups).toEqual([]);
  });

  it('when the profile redraws an account number that a real record holds, then the batch is refused', async () => {
    const tx = heldTx();
    await expect(writer.write(tx, [canary('12345678'), canary('A-1')])).rejects.toThrow(/already a real record's/);
    expect(tx.lookups).toHaveLength(1);
    const looked = tx.lookups[0]!.params.flat();
    expect(looked).toHaveLength(1);
    expect(String(looked[0])).toMatch(/^\d{8}$/);
  });
});
