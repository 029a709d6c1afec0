// The hit columns shown as evidence but not bound by the hash, because the tracer fills them after
// the hit is stored: a call's status and duration, and the caller's name. An insider with the store
// file edits them to hide a long call or to rename the caller; verify re-derives each from what is
// bound and names the hit. Filled the ways the tracer fills them (status callbacks in any order, a
// backfilled call, a look-up's name), they verify.
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedProvider } from '../../src/numbers/simulated-provider.ts';
import { ACCOUNT_SID, signedWebhook } from '../support/app.ts';
import { call, provision, text } from '../numbers/support/actions.ts';
import { numbersTestApp, type NumbersTestApp } from '../numbers/support/app.ts';

let app: NumbersTestApp;
afterEach(async () => {
  await app?.dispose();
});

const status = (sid: string, s: string, extra: Record<string, string> = {}) =>
  signedWebhook(app, '/twilio/status', { AccountSid: ACCOUNT_SID, CallSid: sid, CallStatus: s, ...extra });

/** A caller whose simulated look-up answers with a name. */
async function namedCaller(): Promise<{ phone: string; name: string }> {
  const sim = new SimulatedProvider();
  for (let i = 100; ; i++) {
    const phone = `+1212555${String(i).padStart(4, '0')}`;
    const { callerName } = await sim.lookupCaller(phone);
    if (callerName) return { phone, name: callerName };
  }
}

/**
 * A store with every way a derived column is filled: a call Twilio named, answered for 734 s with
 * its callbacks out of order; a call named only by the look-up; an SMS; a call the webhooks missed,
 * backfilled with its outcome; a call that rang out with no final status.
 */
async function store() {
  app = numbersTestApp();
  const [n] = await provision(app, { count: 1 });
  const to = n!.phoneNumber;
  const looked = await namedCaller();
  const named = await call(app, to, '+12125550999', { CallerName: 'AQUA FIX LLC' });
  await status(named, 'completed', { CallDuration: '734' });
  await status(named, 'in-progress');
  const unnamed = await call(app, to, looked.phone);
  await status(unnamed, 'no-answer', { CallDuration: '0' });
  const sms = await text(app, to, looked.phone, 'still leaking?');
  const rang = await call(app, to, '+12125550998');
  app.sim.recordInbound({ kind: 'call', from: '+12125550997', to, at: app.clock.now().toISOString(), durationSeconds: 42 });
  app.clock.advanceDays(1);
  await app.services.numberService.sync();
  await app.services.outbox.drain();
  const db = app.services.db;
  const hit = (sid: string) => db.prepare('SELECT id FROM hits WHERE provider_sid = ?').pluck().get(sid) as string;
  const backfilled = db.prepare("SELECT provider_sid FROM hits WHERE json_extract(raw, '$.tracerSource') = 'backfill'").pluck().get() as string;
  return { db, looked, named, unnamed, sms, rang, backfilled, hit, verify: () => app.services.evidenceService.verify() };
}

describe('evidence verify re-derives the columns it does not bind', () => {
  it('when status, duration and names were filled by the tracer (callbacks out of order, a backfill, a look-up), then verify is clean', async () => {
    const s = await store();
    const shown = (sid: string) => s.db.prepare('SELECT call_status, duration_seconds, caller_name FROM hits WHERE provider_sid = ?').get(sid);
    // The store holds what the test means it to: otherwise "clean" would prove nothing.
    expect(shown(s.named)).toEqual({ call_status: 'completed', duration_seconds: 734, caller_name: 'AQUA FIX LLC' });
    expect(shown(s.unnamed)).toEqual({ call_status: 'no-answer', duration_seconds: 0, caller_name: s.looked.name });
    expect(shown(s.sms)).toEqual({ call_status: null, duration_seconds: null, caller_name: s.looked.name });
    expect(shown(s.rang)).toMatchObject({ call_status: 'ringing', duration_seconds: null });
    expect(shown(s.backfilled)).toMatchObject({ call_status: 'completed', duration_seconds: 42 });
    const r = s.verify();
    expect(r.problems).toEqual([]);
    expect(r.facts).toMatchObject({ hits: 5 });
  });

  it("when an insider makes a 734-second answered call read 'no-answer', or shortens it, then verify names that hit", async () => {
    const s = await store();
    const id = s.hit(s.named);
    s.db.prepare("UPDATE hits SET call_status = 'no-answer' WHERE id = ?").run(id);
    expect(s.verify().firstProblem).toMatchObject({ check: 'derived', table: 'hits', rowId: id });
    expect(s.verify().firstProblem!.message).toContain('no-answer');
    s.db.prepare("UPDATE hits SET call_status = 'completed', duration_seconds = 5 WHERE id = ?").run(id);
    expect(s.verify().firstProblem).toMatchObject({ check: 'derived', rowId: id });
    expect(s.verify().firstProblem!.message).toContain('734');
    s.db.prepare('UPDATE hits SET duration_seconds = 734 WHERE id = ?').run(id);
    expect(s.verify().ok).toBe(true);
  });

  it('when an insider gives a call that rang out a final status, or an SMS a duration, then verify names each', async () => {
    const s = await store();
    s.db.prepare("UPDATE hits SET call_status = 'completed', duration_seconds = 60 WHERE provider_sid = ?").run(s.rang);
    expect(s.verify().firstProblem).toMatchObject({ check: 'derived', rowId: s.hit(s.rang) });
    s.db.prepare("UPDATE hits SET call_status = 'ringing', duration_seconds = NULL WHERE provider_sid = ?").run(s.rang);
    s.db.prepare('UPDATE hits SET duration_seconds = 60 WHERE provider_sid = ?').run(s.sms);
    expect(s.verify().firstProblem).toMatchObject({ check: 'derived', rowId: s.hit(s.sms) });
  });

  it('when an insider renames a caller Twilio named, names one nobody named, or changes a looked-up name, then verify names each hit', async () => {
    const s = await store();
    const cases: Array<[string, string]> = [[s.named, 'CITY WATER DEPT'], [s.rang, 'CITY WATER DEPT'], [s.unnamed, 'CITY WATER DEPT']];
    for (const [sid, name] of cases) {
      const was = s.db.prepare('SELECT caller_name FROM hits WHERE provider_sid = ?').pluck().get(sid);
      s.db.prepare('UPDATE hits SET caller_name = ? WHERE provider_sid = ?').run(name, sid);
      expect(s.verify().firstProblem, sid).toMatchObject({ check: 'derived', table: 'hits', rowId: s.hit(sid) });
      s.db.prepare('UPDATE hits SET caller_name = ? WHERE provider_sid = ?').run(was, sid);
    }
    // Clearing the name Twilio sent hides the caller just as well.
    s.db.prepare('UPDATE hits SET caller_name = NULL WHERE provider_sid = ?').run(s.named);
    expect(s.verify().firstProblem).toMatchObject({ check: 'derived', rowId: s.hit(s.named) });
    s.db.prepare("UPDATE hits SET caller_name = 'AQUA FIX LLC' WHERE provider_sid = ?").run(s.named);
    // A forged look-up answer does not launder a name Twilio sent.
    s.db.prepare(`UPDATE hits SET caller_name = 'CITY WATER DEPT', caller_info = '{"status":"found","callerName":"CITY WATER DEPT"}' WHERE provider_sid = ?`).run(s.named);
    expect(s.verify().firstProblem).toMatchObject({ check: 'derived', rowId: s.hit(s.named) });
  });

  it('when a status event itself is edited or deleted, then verify names the event, and the hit that shows what was stored is not blamed', async () => {
    for (const [sql, check] of [
      ["UPDATE call_status_events SET duration_seconds = 5 WHERE call_sid = ? AND call_status = 'completed'", 'data'],
      ["DELETE FROM call_status_events WHERE call_sid = ? AND call_status = 'completed'", 'presence'],
    ] as const) {
      const s = await store();
      s.db.prepare(sql).run(s.named);
      const r = s.verify();
      expect(r.firstProblem, check).toMatchObject({ check, table: 'call_status_events' });
      expect(r.problems.filter((p) => p.check === 'derived'), check).toEqual([]);
      await app.dispose();
    }
    app = undefined as unknown as NumbersTestApp;
  });
});
