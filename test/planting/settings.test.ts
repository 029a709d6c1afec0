import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTargetsFile } from '../../src/planting/settings.ts';
import { compileExpression } from '../../src/planting/expressions.ts';
import { utilityMappingJson } from '../../src/utility-sample/mapping.ts';
import { tempDir } from '../support/app.ts';

const dir = tempDir('tracer-settings-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function load(targets: unknown[], env: Record<string, string> = {}) {
  const file = path.join(dir, `t-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify({ targets }));
  return loadTargetsFile(file, env);
}
const failure = (targets: unknown[], env: Record<string, string> = {}) => {
  try {
    load(targets, env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the targets file to be refused');
};
const pg = (over: Record<string, unknown> = {}) => ({ name: 'cis', kind: 'postgres', database: 'cis', user: 'tracer', mapping: utilityMappingJson(), ...over });

describe('the targets file', () => {
  it('when it is valid, then secrets come from the variables it names and relative paths from its folder', () => {
    const [a, b, c] = load([
      pg({ passwordEnv: 'CIS_PASSWORD' }),
      { name: 'drop', kind: 'csv', directory: 'exports', columns: [{ header: 'Ref', value: 'variant.reference' }] },
      { name: 'crm', kind: 'http', baseUrl: 'https://crm.example/api', auth: { tokenEnv: 'CRM_TOKEN' }, create: { path: '/t', body: { n: '{{persona.fullName}}' }, refPath: 'id' },
        withdraw: { method: 'DELETE', path: '/t/{{externalRef}}' } },
    ], { CIS_PASSWORD: 's3cret', CRM_TOKEN: 'tok' });
    expect(a).toMatchObject({ kind: 'postgres', port: 5432, host: '127.0.0.1', secret: 's3cret', schema: 'public' });
    expect(b).toMatchObject({ directory: path.join(dir, 'exports'), fileName: 'tickets-{date}.csv', delimiter: ',' });
    expect(c).toMatchObject({ secret: 'tok', retries: 3, timeoutMs: 5000 });
  });

  it('when a secret is written into the file, then it is refused', () => {
    expect(failure([pg({ password: 'hunter2' })])).toMatch(/"password" must not be in the file: name an environment variable/);
  });

  it('when a named secret variable is not set, then start-up fails naming target and variable', () => {
    expect(failure([pg({ passwordEnv: 'CIS_PASSWORD' })])).toMatch(/target "cis" needs environment variable CIS_PASSWORD, which is not set/);
  });

  it('when a mapping value names an unknown field, root or transform, then the error points at it', () => {
    const bad = (column: string) => {
      const mapping = utilityMappingJson();
      (mapping.tables[4]!.columns as unknown as Record<string, string>).contact_name = column;
      return failure([pg({ mapping })]);
    };
    expect(bad('persona.fulName')).toMatch(/mapping\.tables\.4\.columns\.contact_name: "persona\.fulName": persona has no field "fulName"/);
    expect(bad('canary.secret')).toMatch(/must start with one of persona, ticket, variant, channel, routing, ref/);
    expect(bad('ticket.createdAt | shout')).toMatch(/unknown transform "shout"/);
  });

  it('when a ref points at a later table or a table is unmapped, then the mapping is refused', () => {
    const mapping = utilityMappingJson();
    (mapping.tables[0]!.columns as unknown as Record<string, string>).full_name = 'ref.service_tickets.ticket_id';
    expect(failure([pg({ mapping })])).toMatch(/ref\.service_tickets\.ticket_id must name a column of an earlier table/);
    expect(failure([pg({ mapping: { ...utilityMappingJson(), ticketTable: 'tickets' } })])).toMatch(/"tickets" is not mapped/);
  });

  it('when a name is reused or takes the embedded target\'s name, then it is refused', () => {
    expect(failure([pg(), pg()])).toMatch(/"cis" is used twice/);
    expect(failure([pg({ name: 'utility-sample' })])).toMatch(/embedded sample target's name/);
  });

  it('when an identifier is not a plain SQL name, then it is refused before any SQL is built', () => {
    const mapping = utilityMappingJson();
    mapping.tables[0]!.table = 'customers"; DROP TABLE x; --';
    expect(failure([pg({ mapping })])).toMatch(/must be a plain SQL identifier/);
  });
});

describe('value expressions', () => {
  const ctx = {
    persona: { address: { zip: '85006' }, fullName: 'Brenda Robinson' },
    ticket: { createdAt: '2026-11-24T10:12:01+03:00' },
    routing: {},
    channel: { name: 'CRM B', kind: 'crm', dimensions: {} },
  } as never;
  const ev = (s: string) => compileExpression(s, { roots: ['persona', 'ticket', 'routing', 'channel'] }).evaluate(ctx);

  it('when alternatives, literals and transforms are used, then the first present value is transformed', () => {
    expect(ev('persona.address.postalCode ?? persona.address.zip')).toBe('85006');
    expect(ev("persona.nationalId ?? 'none'")).toBe('none');
    expect(ev('ticket.createdAt | date')).toBe('2026-11-24');
    expect(ev('ticket.createdAt | local-datetime')).toBe('2026-11-24 10:12:01');
    expect(ev('ticket.createdAt | utc-datetime')).toBe('2026-11-24 07:12:01');
    expect(ev("'O''Brien'")).toBe("O'Brien");
  });

  it('when a channel lacks a routing value the mapping needs, then the error names channel and key', () => {
    expect(() => ev('routing.queue')).toThrow('channel "CRM B" has no routing value "queue"');
    expect(ev("routing.queue ?? 'CC-DAY'")).toBe('CC-DAY');
  });
});

describe('target errors', () => {
  it('when a driver quotes a canary value back, then the error names the constraint but not the value', async () => {
    const { targetError } = await import('../../src/planting/sql/driver.ts');
    const mysql = targetError('cis', Object.assign(new Error("Duplicate entry '1204452245' for key 'national_id'"), { code: 'ER_DUP_ENTRY' }));
    expect(mysql.message).toBe("target \"cis\": a constraint refused the write; nothing was written: Duplicate entry '…' for key 'national_id'");
    const pg = targetError('cis', Object.assign(new Error('duplicate key value violates unique constraint "customers_national_id_key"'),
      { code: '23505', table: 'customers', detail: 'Key (national_id)=(1204452245) already exists.' }));
    expect(pg.message).not.toContain('1204452245');
    expect(pg.message).toContain('customers_national_id_key');
  });
});
