// The evidence page names the rows from before binding as the API and `tracer evidence verify` do:
// neither a failure nor a silent pass, and absent when there are none.
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { migrate } from '../../src/store/migrate.ts';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';
import { get, signIn } from './support.ts';

describe('the dashboard evidence page', () => {
  let app: TestApp;
  afterEach(() => app?.dispose());

  it('when a store from before binding was upgraded, then the page shows the same unproven counts as the API', async () => {
    app = buildTestApp();
    const db = app.services.db;
    db.exec(`DELETE FROM schema_migrations WHERE id = '20261217100000-fact-binding-backfill'`);
    db.prepare(`INSERT INTO parties (id, name, status, grounds, created_at, updated_at) VALUES ('pty_old', 'Old firm', 'accepted', '[]', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`).run();
    db.prepare(`INSERT INTO parties (id, name, status, grounds, created_at, updated_at) VALUES ('pty_old2', 'Older firm', 'accepted', '[]', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`).run();
    db.prepare(`INSERT INTO cases (id, title, status, created_by, created_at, updated_at) VALUES ('case_old', 'Old case', 'open', 'ines', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`).run();
    migrate(db);
    // A row written after the upgrade is bound from its first write: proven, not counted.
    app.services.parties.create({ name: 'New firm', numbers: ['+966501110001'] }, 'ines');

    const api = await request(app.http).post('/api/v1/evidence/verify').set(bearer(app.tokens.investigator)).send({});
    expect(api.status).toBe(200);
    expect(api.body.unproven).toEqual({ parties: 2, cases: 1 });

    const jar = await signIn(app, { token: app.tokens.investigator });
    const page = await get(app, jar, '/evidence');
    expect(page.status).toBe(200);
    const note = /<p class="chain unproven" id="unproven">([\s\S]*?)<\/p>/.exec(page.text)?.[1] ?? '';
    // The page's digits are the reader's (Arabic-Indic by default).
    const digits = (d: string) => Number(d.replace(/[\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) - 0x660)));
    const shown = Object.fromEntries([...note.matchAll(/<span dir="ltr">(\w+)<\/span> (\p{Nd}+)/gu)].map((m) => [m[1], digits(m[2]!)]));
    expect(shown).toEqual(api.body.unproven);
  });

  it('when every row was bound from its first write, then no unproven note is shown', async () => {
    app = buildTestApp();
    app.services.parties.create({ name: 'New firm', numbers: ['+966501110001'] }, 'ines');
    const jar = await signIn(app, { token: app.tokens.investigator });
    const page = await get(app, jar, '/evidence');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="chain"/);
    expect(page.text).not.toMatch(/id="unproven"/);
  });
});
