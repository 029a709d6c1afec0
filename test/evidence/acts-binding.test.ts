import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.ts';
import { buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';

// Profiles and investigators' acts are facts too: edited, deleted or put back with plain SQL (as
// someone holding the store file would), verify names the row.
describe('the evidence log binds profiles and investigators acts', () => {
  let app: TestApp;
  let partyId: string;
  let keptId: string;
  let caseId: string;
  let hitId: string;
  const who = { actor: 'ines', role: 'investigator' };
  beforeEach(async () => {
    app = buildTestApp({ customers: 100 });
    await app.services.profiles.learn('utility-sample');
    const ch = await createChannel(app, { name: 'A', kind: 'crm' });
    const [c] = await plant(app, [ch.id]);
    app.clock.advanceMinutes(3);
    const p = callParams(c!.phoneNumber, '+966501110001');
    await signedWebhook(app, '/twilio/voice', p);
    hitId = app.services.hits.findBySid(p.CallSid!)!.id;
    const s = app.services;
    const a = s.parties.create({ name: 'Firm A', numbers: ['+966501110001', '+966501110002', '+966501110003'] }, 'ines');
    const b = s.parties.create({ name: 'Firm B', numbers: ['+966507770009'] }, 'ines');
    s.parties.note(a.id, { text: 'same script as firm B' }, 'ines');
    s.parties.merge(a.id, { from: [b.id] }, 'ines');
    keptId = s.parties.split(a.id, { numbers: ['+966501110003'], name: 'Firm A2' }, 'ines').split.id;
    partyId = a.id;
    s.parties.noteHit(hitId, { text: 'asked for the account number' }, 'ines');
    caseId = s.cases.create({ title: 'Vendor A leak', hitIds: [hitId] }, who).id;
    s.cases.addNote(caseId, { text: 'called twice' }, who);
    s.cases.update(caseId, { status: 'reported' }, who);
    db().exec('DROP TRIGGER evidence_log_no_update; DROP TRIGGER evidence_log_no_delete;');
    db().pragma('foreign_keys = OFF');
  });
  afterEach(() => app.dispose());

  const db = () => app.services.db;
  const verify = () => app.services.evidenceService.verify();

  it('when nothing was touched, then every profile, party, case and hit note verifies', () => {
    const r = verify();
    expect(r.firstProblem).toBeNull();
    expect(r.facts).toMatchObject({ target_profiles: 1, parties: 2, cases: 1, hit_notes: 1 });
    expect(r.unproven).toEqual({});
  });

  it("when a learned profile is edited or deleted, then verify names the target's profile", () => {
    db().prepare(`UPDATE target_profiles SET profile = json_set(profile, '$.learnedAt', '2020-01-01T00:00:00.000Z')`).run();
    expect(verify().firstProblem).toMatchObject({ check: 'data', table: 'target_profiles', rowId: 'utility-sample' });
    db().prepare('DELETE FROM target_profiles').run();
    expect(verify().firstProblem).toMatchObject({ check: 'presence', table: 'target_profiles', rowId: 'utility-sample' });
  });

  it("when a party's name, one of its numbers or its note is changed, then verify names that party", () => {
    const edits = [
      ['UPDATE parties SET name = ? WHERE id = ?', 'Someone else', partyId],
      ['UPDATE party_numbers SET party_id = ? WHERE phone_number = ?', keptId, '+966501110002'],
      ['UPDATE party_notes SET text = ? WHERE party_id = ?', 'nothing to see', partyId],
    ] as const;
    for (const [sql, ...args] of edits) {
      undone(() => {
        db().prepare(sql).run(...args);
        expect(verify().firstProblem, sql).toMatchObject({ check: 'data', table: 'parties' });
      });
      expect(verify().firstProblem).toBeNull();
    }
  });

  it('when a party is deleted, or a party merged away is put back, then verify names it', () => {
    const merged = db().prepare("SELECT subject FROM evidence_log WHERE kind = 'party-merged-away'").pluck().get() as string;
    db().prepare(`INSERT INTO parties (id, name, status, grounds, created_at, updated_at) VALUES (?, 'Firm B', 'accepted', '[]', '2026-11-28T09:00:00.000Z', '2026-11-28T09:00:00.000Z')`).run(merged);
    expect(verify().firstProblem).toMatchObject({ check: 'presence', table: 'parties', rowId: merged });
    db().prepare('DELETE FROM parties WHERE id = ?').run(merged);
    db().prepare('DELETE FROM parties WHERE id = ?').run(keptId);
    expect(verify().firstProblem).toMatchObject({ check: 'presence', table: 'parties', rowId: keptId });
  });

  it("when a case's status, a link or a note is changed or deleted, then verify names the case", () => {
    for (const sql of [
      "UPDATE cases SET status = 'open'",
      'DELETE FROM case_links',
      "UPDATE case_notes SET text = 'never called'",
      'DELETE FROM case_notes',
    ]) {
      undone(() => {
        db().exec(sql);
        expect(verify().firstProblem, sql).toMatchObject({ check: 'data', table: 'cases', rowId: caseId });
      });
    }
    expect(verify().firstProblem).toBeNull();
    db().exec('DELETE FROM cases');
    expect(verify().firstProblem).toMatchObject({ check: 'presence', table: 'cases', rowId: caseId });
  });

  it('when a hit note is edited, deleted, or one is inserted, then verify names it', () => {
    const id = String(db().prepare('SELECT id FROM hit_notes').pluck().get());
    db().prepare("UPDATE hit_notes SET text = 'said nothing'").run();
    expect(verify().firstProblem).toMatchObject({ check: 'data', table: 'hit_notes', rowId: id });
    db().prepare('DELETE FROM hit_notes').run();
    expect(verify().firstProblem).toMatchObject({ check: 'presence', table: 'hit_notes', rowId: id });
    db().prepare("INSERT INTO hit_notes (hit_id, at, actor, text) VALUES (?, '2026-11-28T09:30:00.000Z', 'x', 'forged')").run(hitId);
    expect(verify().firstProblem).toMatchObject({ check: 'presence', table: 'hit_notes' });
  });

  it('when a party is deleted and re-inserted unchanged, then verify reports the order', () => {
    const row = db().prepare('SELECT * FROM parties WHERE id = ?').get(partyId) as Record<string, unknown>;
    db().prepare('DELETE FROM parties WHERE id = ?').run(partyId);
    db().prepare(`INSERT INTO parties (${Object.keys(row).join(',')}) VALUES (${Object.keys(row).map((k) => `@${k}`).join(',')})`).run(row);
    expect(verify().firstProblem).toMatchObject({ check: 'order', table: 'parties' });
  });

  /** Runs a tampering and takes it back, so one store serves several. */
  function undone(fn: () => void) {
    db().exec('BEGIN');
    try {
      fn();
    } finally {
      db().exec('ROLLBACK');
    }
  }
});

describe('rows written before binding', () => {
  let app: TestApp;
  afterEach(() => app.dispose());

  it('when a store from before binding is upgraded, then its rows verify, are counted as unproven, and a later edit is caught', async () => {
    app = buildTestApp();
    const db = app.services.db;
    // What an older tracer left: rows with no binding, and no backfill applied yet.
    db.exec(`DELETE FROM schema_migrations WHERE id = '20261217100000-fact-binding-backfill'`);
    db.prepare(`INSERT INTO parties (id, name, status, grounds, created_at, updated_at) VALUES ('pty_old', 'Old firm', 'accepted', '[]', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`).run();
    db.prepare(`INSERT INTO party_numbers (phone_number, party_id) VALUES ('+966501119999', 'pty_old')`).run();
    db.prepare(`INSERT INTO cases (id, title, status, created_by, created_at, updated_at) VALUES ('case_old', 'Old case', 'open', 'ines', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`).run();
    expect(app.services.evidenceService.verify().firstProblem).toMatchObject({ check: 'presence', table: 'parties', rowId: 'pty_old' });

    expect(migrate(db)).toEqual(['20261217100000-fact-binding-backfill']);
    const r = app.services.evidenceService.verify();
    expect(r.firstProblem).toBeNull();
    expect(r.unproven).toEqual({ parties: 1, cases: 1 });

    db.exec('DROP TRIGGER evidence_log_no_update; DROP TRIGGER evidence_log_no_delete;');
    db.prepare(`UPDATE party_numbers SET phone_number = '+966501118888' WHERE party_id = 'pty_old'`).run();
    expect(app.services.evidenceService.verify().firstProblem).toMatchObject({ check: 'data', table: 'parties', rowId: 'pty_old' });
  });
});
