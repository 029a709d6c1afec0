import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { csvRecord, parseCsv } from '../../src/planting/csv/format.ts';
import { drawHistory } from '../../src/utility-sample/fill.ts';
import { buildTestApp, tempDir, type TestApp } from '../support/app.ts';
import { writeTargetsFile } from '../support/sql-servers.ts';

let app: TestApp | undefined;
let dir: string | undefined;
afterEach(async () => {
  await app?.dispose();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  app = dir = undefined;
});

const HEADER = ['ExtRef', 'Customer', 'Phone', 'Account', 'Raised'];

describe('a CSV target learned from its own exports', () => {
  it('when the contractor\'s files write phones as +966 5X XXX XXXX and accounts as ACC-########, then canary rows are written the same way', async () => {
    dir = tempDir('tracer-csv-profile-');
    const drop = path.join(dir, 'drop');
    fs.mkdirSync(drop);
    const real = drawHistory(80, 'ar-SA', { seed: 4, now: new Date('2026-11-27T12:00:00Z') });
    const lines = real.map((r, i) => csvRecord([`WO-${70000 + i}`, r.persona.fullName,
      r.persona.phone.e164.replace(/^\+966(\d\d)(\d{3})(\d{4})$/, '+966 $1 $2 $3'), `ACC-${String(10_000_000 + i * 7919).slice(0, 8)}`, r.ticket.createdAt.slice(0, 19).replace('T', ' ')]));
    fs.writeFileSync(path.join(drop, 'export-2026-11-27.csv'), csvRecord(HEADER) + lines.join(''));
    const target = {
      name: 'contractor-b', kind: 'csv', directory: 'drop', fileName: 'work-orders-{date}.csv', keyColumn: 'ExtRef',
      columns: [
        { header: 'ExtRef', value: 'variant.reference' }, { header: 'Customer', value: 'variant.fullName' },
        { header: 'Phone', value: 'persona.phone.national' }, { header: 'Account', value: 'persona.accountNumber' },
        { header: 'Raised', value: 'ticket.createdAt | local-datetime' },
      ],
    };
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(dir, [target]) } });
    const { profile } = await app.services.profiles.learn('contractor-b');
    expect(profile.columns.find((c) => c.column === 'Phone')!.phone).toMatchObject({ mask: '+### ## ### ####', form: 'cc' });

    const channel = app.services.channels.create({ name: 'Contractor B', kind: 'contractor-export', target: 'contractor-b', routing: {} });
    const [canary] = await app.services.canaries.create({ channelIds: [channel.id], count: 1 });
    const file = fs.readdirSync(drop).find((f) => f.startsWith('work-orders-'))!;
    const [, row] = parseCsv(fs.readFileSync(path.join(drop, file), 'utf8'));
    expect(row![2]).toMatch(/^'\+966 5\d \d{3} \d{4}$/);
    expect(row![2]!.replace(/\D/g, '')).toBe(app.services.numbers.list().find((n) => n.status === 'assigned')!.phoneNumber.slice(1));
    expect(row![3]).toMatch(/^ACC-\d{8}$/);
    expect(canary).toBeDefined();
  });
});
