import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryHash } from '../../src/evidence/chain.ts';
import { factHash } from '../../src/evidence/facts.ts';
import { buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';

// Tampering as someone with the store file would: triggers dropped, rows edited with plain SQL.
describe('the evidence log binds the facts', () => {
  let app: TestApp;
  let hitIds: string[];
  let sid: string;
  beforeEach(async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'A', kind: 'crm' });
    const [c] = await plant(app, [ch.id]);
    app.clock.advanceMinutes(3);
    hitIds = [];
    for (const from of ['+966501110001', '+966501110002', '+966501110003']) {
      const p = callParams(c!.phoneNumber, from);
      await signedWebhook(app, '/twilio/voice', p);
      sid = p.CallSid!;
      hitIds.push(app.services.hits.findBySid(sid)!.id);
    }
    await signedWebhook(app, '/twilio/status', { AccountSid: callParams('', '').AccountSid!, CallSid: sid, CallStatus: 'completed', CallDuration: '12' });
    db().exec('DROP TRIGGER evidence_log_no_update; DROP TRIGGER evidence_log_no_delete;');
  });
  afterEach(() => app.dispose());

  const db = () => app.services.db;
  const verify = () => app.services.evidenceService.verify();

  it('when nothing was touched, then every fact verifies', () => {
    const r = verify();
    expect(r.firstProblem).toBeNull();
    expect(r.ok).toBe(true);
    expect(r.facts).toEqual({ hits: 3, call_status_events: 1, plantings: 1, target_profiles: 0, parties: 0, cases: 0, hit_notes: 0 });
  });

  it("when a hit's caller number is changed, then verify names that hit (data)", () => {
    db().prepare('UPDATE hits SET from_number = ? WHERE id = ?').run('+966500000000', hitIds[1]);
    expect(verify().firstProblem).toMatchObject({ check: 'data', table: 'hits', rowId: hitIds[1] });
  });

  it("when a hit's raw parameters are edited, then verify names that hit", () => {
    db().prepare(`UPDATE hits SET raw = json_set(raw, '$.From', '+1') WHERE id = ?`).run(hitIds[0]);
    expect(verify().firstProblem).toMatchObject({ check: 'data', rowId: hitIds[0] });
  });

  it('when a hit is deleted, then verify says its entry records a row that is gone', () => {
    db().prepare('DELETE FROM hits WHERE id = ?').run(hitIds[1]);
    expect(verify().firstProblem).toMatchObject({ check: 'presence', table: 'hits', rowId: hitIds[1] });
  });

  it('when a hit row is inserted without an entry, then verify names it', () => {
    db().prepare(`INSERT INTO hits (id, kind, provider_sid, from_number, to_number, received_at, classification, raw)
                  VALUES ('hit_forged', 'call', 'CAforged', '+1', '+2', '2026-11-28T09:10:00.000Z', 'unmatched', '{}')`).run();
    expect(verify().firstProblem).toMatchObject({ check: 'presence', table: 'hits', rowId: 'hit_forged' });
  });

  it('when a hit is deleted and re-inserted (moved to the end), then verify reports the order', () => {
    const row = db().prepare('SELECT * FROM hits WHERE id = ?').get(hitIds[0]) as Record<string, unknown>;
    db().prepare('DELETE FROM hits WHERE id = ?').run(hitIds[0]);
    const cols = Object.keys(row);
    db().prepare(`INSERT INTO hits (${cols.join(',')}) VALUES (${cols.map((c) => `@${c}`).join(',')})`).run(row);
    expect(verify().firstProblem).toMatchObject({ check: 'order', table: 'hits' });
  });

  it('when a status event is edited, then verify names it', () => {
    db().prepare(`UPDATE call_status_events SET duration_seconds = 999`).run();
    expect(verify().firstProblem).toMatchObject({ check: 'data', table: 'call_status_events' });
  });

  it("when a planting's ticket reference, canary or time is changed, or it is deleted, then verify names it", () => {
    const id = db().prepare('SELECT id FROM plantings').pluck().get() as string;
    for (const [col, value] of [['external_ref', 'T-999'], ['planted_at', '2026-11-28T08:00:00.000Z'], ['status', 'pending']] as const) {
      const was = db().prepare(`SELECT ${col} FROM plantings WHERE id = ?`).pluck().get(id);
      db().prepare(`UPDATE plantings SET ${col} = ? WHERE id = ?`).run(value, id);
      expect(verify().firstProblem, col).toMatchObject({ check: 'data', table: 'plantings', rowId: id });
      db().prepare(`UPDATE plantings SET ${col} = ? WHERE id = ?`).run(was, id);
    }
    expect(verify().ok).toBe(true);
    db().pragma('foreign_keys = OFF');
    db().prepare('DELETE FROM plantings WHERE id = ?').run(id);
    expect(verify().firstProblem).toMatchObject({ check: 'presence', table: 'plantings', rowId: id });
  });

  it('when the last entry is deleted, then the hit it recorded has no entry and the checkpoint says entries are missing at the end', () => {
    app.services.evidenceService.checkpoint();
    db().prepare('DELETE FROM evidence_log WHERE seq = (SELECT max(seq) FROM evidence_log)').run();
    const r = verify();
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.check)).toEqual(expect.arrayContaining(['presence', 'missing-at-end']));
  });

  it('when an entry with a correct hash is appended for a hit that does not exist, then verify names it', () => {
    const head = db().prepare('SELECT hash FROM evidence_log ORDER BY seq DESC LIMIT 1').pluck().get() as string;
    const row = { prev_hash: head, at: '2026-11-28T09:30:00.000Z', kind: 'hit', subject: 'hit_ghost', payload: '{}', fact_table: null, fact_id: null, fact_hash: null };
    db().prepare(`INSERT INTO evidence_log (at, kind, subject, payload, prev_hash, hash) VALUES (@at, @kind, @subject, @payload, @prev_hash, @hash)`)
      .run({ ...row, hash: entryHash(row) });
    expect(verify().firstProblem).toMatchObject({ check: 'presence', rowId: 'hit_ghost' });
  });

  it('when a hit is edited and every later hash recomputed (a re-chain), then the signed checkpoint catches it', () => {
    app.services.evidenceService.checkpoint();
    // Edit the second hit and re-chain from its entry onwards, binding the edited row.
    db().prepare('UPDATE hits SET from_number = ? WHERE id = ?').run('+966500000000', hitIds[1]);
    const rows = db().prepare('SELECT * FROM evidence_log ORDER BY seq').all() as Array<Record<string, any>>;
    let prev = '0'.repeat(64);
    for (const r of rows) {
      if (r.fact_table === 'hits' && r.fact_id === hitIds[1]) r.fact_hash = factHash('hits', db().prepare('SELECT * FROM hits WHERE id = ?').get(hitIds[1]) as any);
      r.prev_hash = prev;
      r.hash = entryHash(r as any);
      prev = r.hash;
      db().prepare('UPDATE evidence_log SET prev_hash = ?, hash = ?, fact_hash = ? WHERE seq = ?').run(r.prev_hash, r.hash, r.fact_hash, r.seq);
    }
    db().prepare('DELETE FROM evidence_verified').run();
    const r = verify();
    expect(r.problems.filter((p) => p.check === 'chain' || p.check === 'data')).toEqual([]); // the re-chain itself is consistent
    expect(r.firstProblem).toMatchObject({ check: 'checkpoint' });
  });
});
