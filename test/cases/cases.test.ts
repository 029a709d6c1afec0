import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, type TestApp } from '../support/app.ts';
import { FIRM, leakScenario } from './support.ts';

describe('cases', () => {
  let app: TestApp;
  afterEach(() => app?.dispose());

  it('when an investigator opens a case, links and writes a note, then each act is an evidence-log entry naming who did it, and the links are audited', async () => {
    const s = await leakScenario();
    app = s.app;
    const api = (m: 'get' | 'post' | 'patch', url: string) => request(app.http)[m](url).set(bearer(app.tokens.investigator));
    const hit = app.services.hits.list({ classification: 'after-planting' }).items[0]!;
    expect((await api('post', `/api/v1/cases/${s.caseId}/links`).send({ hitIds: [hit.id] })).status).toBe(200);
    const note = await api('post', `/api/v1/cases/${s.caseId}/notes`).send({ text: 'Vendor confirmed the night shift exports tickets.' });
    expect(note.status).toBe(201);
    const upd = await api('patch', `/api/v1/cases/${s.caseId}`).send({ status: 'reported', notice: { realRecordsExposed: '1,240', dataCategories: 'names, phone numbers, addresses' } });
    expect(upd.status).toBe(200);
    expect(upd.body.notice.realRecordsExposed).toBe('1,240');

    const shown = await api('get', `/api/v1/cases/${s.caseId}`);
    expect(shown.body).toMatchObject({ title: 'Leak via Vendor A', status: 'reported', canaries: 6, hits: s.leakHits });
    expect(shown.body.links.map((l: any) => l.kind).sort()).toEqual(['channel', 'channel', 'hit']);
    expect(shown.body.notes[0]).toMatchObject({ text: 'Vendor confirmed the night shift exports tickets.' });

    const acts = app.services.evidence.list().filter((e) => e.subject === s.caseId);
    expect(acts.map((e) => e.kind)).toEqual(['case-opened', 'case-linked', 'case-linked', 'case-linked', 'case-note', 'case-updated']);
    const tokenId = app.services.tokens.list().find((t) => t.role === 'investigator')!.id;
    expect(acts.every((e) => (e.payload as any).by === tokenId && (e.payload as any).role === 'investigator')).toBe(true);
    expect(app.services.evidence.verify().ok).toBe(true);
    const reads = app.services.audit.list().filter((r) => r.subject.startsWith(s.caseId));
    expect(reads.map((r) => r.action).sort()).toEqual(['case-link-channel', 'case-link-channel', 'case-link-hit']);

    const list = await api('get', '/api/v1/cases');
    expect(list.body.cases.map((c: any) => c.id)).toEqual([s.caseId]);
  });

  it('when the case, a channel or a party does not exist, or a seeder asks, then the answer is a clear error and nothing is written', async () => {
    const s = await leakScenario();
    app = s.app;
    const before = app.services.evidence.list().length;
    const inv = (m: 'get' | 'post', url: string) => request(app.http)[m](url).set(bearer(app.tokens.investigator));
    expect((await inv('get', '/api/v1/cases/case_nope')).body).toMatchObject({ error: 'not-found' });
    expect((await inv('post', '/api/v1/cases/case_nope/notes').send({ text: 'x' })).status).toBe(404);
    const bad = await inv('post', '/api/v1/cases').send({ title: 'T', channelIds: ['ch_missing'] });
    expect(bad.status).toBe(404);
    const noParty = await inv('post', '/api/v1/cases').send({ title: 'T', channelIds: [s.a.id], partyIds: ['pty_nope'] });
    expect(noParty.status).toBe(400);
    expect(noParty.body).toMatchObject({ error: 'unknown-party', message: expect.stringContaining('pty_nope') });
    const linkNoParty = await inv('post', `/api/v1/cases/${s.caseId}/links`).send({ hitIds: [app.services.hits.list({}).items[0]!.id], partyIds: ['pty_nope'] });
    expect(linkNoParty.body.error).toBe('unknown-party');
    expect((await inv('get', `/api/v1/cases/${s.caseId}`)).body.links).toHaveLength(2); // the two channels: not the hit asked for with the bad party
    expect((await inv('post', '/api/v1/cases').send({ title: '' })).body.error).toBe('invalid-request');
    expect((await inv('post', '/api/v1/cases').send({ title: 'x\u202eevil' })).body.error).toBe('invalid-request');
    expect((await inv('post', '/api/v1/cases').send({ title: 'T', extra: 1 })).body.error).toBe('unknown-field');
    expect((await request(app.http).get('/api/v1/cases').set(bearer(app.tokens.seeder))).status).toBe(403);
    expect(app.services.evidence.list().length).toBe(before);
    expect((await inv('get', '/api/v1/cases')).body.cases).toHaveLength(1);
  });

  it('when a party is linked at opening and afterwards, then each link is an evidence-log entry and an audited read, the case counts the canaries its numbers rang, and a second link of the same party writes nothing', async () => {
    const s = await leakScenario();
    app = s.app;
    const inv = (m: 'get' | 'post', url: string) => request(app.http)[m](url).set(bearer(app.tokens.investigator));
    const firm = (await inv('post', '/api/v1/parties').send({ name: 'Najm Collections', numbers: [FIRM] })).body;
    const other = (await inv('post', '/api/v1/parties').send({ name: 'Quiet caller', numbers: ['+966119998877'] })).body;
    // A case about the party alone: its canaries are those the firm rang (Vendor A's three), with every hit on them.
    const opened = await inv('post', '/api/v1/cases').send({ title: 'The firm', partyIds: [firm.id] });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ canaries: 3, hits: 4 });
    expect(opened.body.links).toEqual([expect.objectContaining({ kind: 'party', ref: firm.id })]);
    const linked = await inv('post', `/api/v1/cases/${s.caseId}/links`).send({ partyIds: [firm.id, other.id] });
    expect(linked.status).toBe(200);
    expect(linked.body.links.filter((l: any) => l.kind === 'party').map((l: any) => l.ref).sort()).toEqual([firm.id, other.id].sort());
    const before = app.services.evidence.list(100_000).length;
    expect((await inv('post', `/api/v1/cases/${s.caseId}/links`).send({ partyIds: [firm.id] })).status).toBe(200);
    expect(app.services.evidence.list(100_000).length).toBe(before);
    const links = app.services.evidence.list(100_000).filter((e) => e.kind === 'case-linked' && (e.payload as any).kind === 'party');
    expect(links.map((e) => [e.subject, (e.payload as any).ref])).toEqual([[opened.body.id, firm.id], [s.caseId, firm.id], [s.caseId, other.id]]);
    expect(app.services.audit.list().filter((r) => r.action === 'case-link-party').map((r) => r.subject))
      .toEqual(expect.arrayContaining([`${opened.body.id}:${firm.id}`, `${s.caseId}:${firm.id}`, `${s.caseId}:${other.id}`]));
  });
});
