// Caller enrichment as an outbox job: after the hit is stored, cached per caller, within a daily budget.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulatedProvider } from '../../src/numbers/simulated-provider.ts';
import { ProviderError } from '../../src/numbers/twilio/errors.ts';
import { call, canaries, channel, provision } from './support/actions.ts';
import { numbersTestApp, type NumbersTestApp } from './support/app.ts';

let app: NumbersTestApp;
afterEach(async () => {
  await app?.dispose();
});

/** Callers whose simulated look-up has a name, so "filled in" can be told from "left empty". */
async function namedCallers(count: number): Promise<string[]> {
  const sim = new SimulatedProvider();
  const found: string[] = [];
  for (let i = 100; found.length < count; i++) {
    const phone = `+1212555${String(i).padStart(4, '0')}`;
    if ((await sim.lookupCaller(phone)).callerName) found.push(phone);
  }
  return found;
}

/** Look-up jobs still pending (the debounced party proposals are another job, not this test's). */
const lookupsPending = () => app.services.db.prepare(`SELECT count(*) FROM outbox WHERE done_at IS NULL AND kind = 'enrich-caller'`).pluck().get() as number;
const callerInfo = (hitSid: string) => {
  const row = app.services.db.prepare('SELECT caller_name, caller_info FROM hits WHERE provider_sid = ?').get(hitSid) as { caller_name: string | null; caller_info: string | null };
  return { callerName: row.caller_name, info: row.caller_info ? JSON.parse(row.caller_info) : null };
};

async function setUp(env: Record<string, string> = {}) {
  app = numbersTestApp({ env });
  const [n] = await provision(app, { count: 1 });
  return { to: n!.phoneNumber, lookups: vi.spyOn(app.sim, 'lookupCaller') };
}

describe('caller enrichment', () => {
  it('when a call is stored, then nothing is looked up on the webhook path; the outbox does it after', async () => {
    const { to, lookups } = await setUp();
    const [caller] = await namedCallers(1);
    const expected = await new SimulatedProvider().lookupCaller(caller!);

    const sid = await call(app, to, caller!);
    const before = lookups.mock.calls.length;
    await app.services.outbox.drain();

    expect(before).toBe(0);
    expect(callerInfo(sid)).toEqual({
      callerName: expected.callerName,
      info: { status: 'found', source: 'lookup', callerName: expected.callerName, callerType: expected.callerType,
        lineType: expected.lineType, carrierName: expected.carrierName, lookedUpAt: app.clock.now().toISOString() },
    });
  });

  it('when the call brought a caller name, then the name is kept and the line type is still added', async () => {
    const { to } = await setUp();
    const [caller] = await namedCallers(1);

    const sid = await call(app, to, caller!, { CallerName: 'AQUA FIX' });
    await app.services.outbox.drain();

    expect(callerInfo(sid).callerName).toBe('AQUA FIX');
    expect(callerInfo(sid).info).toMatchObject({ status: 'found', lineType: expect.any(String) });
  });

  it('when one caller rings again, even in the same batch, then it is looked up once and every hit is enriched', async () => {
    const { to, lookups } = await setUp();
    const [caller] = await namedCallers(1);

    const together = await Promise.all([call(app, to, caller!), call(app, to, caller!)]);
    await app.services.outbox.drain();
    const later = await call(app, to, caller!);
    await app.services.outbox.drain();

    expect(lookups).toHaveBeenCalledTimes(1);
    for (const sid of together) expect(callerInfo(sid).info).toMatchObject({ status: 'found' });
    expect(callerInfo(later).info).toMatchObject({ status: 'found', source: 'cache' });
    expect(app.services.db.prepare('SELECT lookups FROM lookup_spend').pluck().all()).toEqual([1]);
    // The known caller's later hit was enriched at ingest, with no follow-up job at all.
    expect(app.services.db.prepare("SELECT count(*) FROM outbox WHERE kind = 'enrich-caller'").pluck().get()).toBe(2);
  });

  it('when the daily budget is used up, then a new caller is skipped saying why, the job is done, and the next day look-ups resume', async () => {
    const { to, lookups } = await setUp({ LOOKUP_DAILY_BUDGET: '1' });
    const [first, second] = await namedCallers(2);

    await call(app, to, first!);
    const skipped = await call(app, to, second!);
    await app.services.outbox.drain();
    const pendingAfter = lookupsPending();
    app.clock.advanceDays(1);
    const nextDay = await call(app, to, second!);
    await app.services.outbox.drain();

    expect(callerInfo(skipped)).toEqual({
      callerName: null,
      info: { status: 'skipped', reason: expect.stringContaining('LOOKUP_DAILY_BUDGET=1') },
    });
    expect(pendingAfter).toBe(0);
    expect(callerInfo(nextDay).info).toMatchObject({ status: 'found', source: 'lookup' });
    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('when the look-up service does not answer, then the job waits for a retry and nothing counts against the budget', async () => {
    const { to, lookups } = await setUp();
    lookups.mockRejectedValueOnce(new ProviderError('provider-unavailable', 'Looking up failed: Twilio did not answer (ETIMEDOUT)'));
    const [caller] = await namedCallers(1);

    const sid = await call(app, to, caller!);
    await app.services.outbox.drain();
    const waiting = { pending: lookupsPending(), info: callerInfo(sid).info };
    app.clock.set(new Date(app.clock.now().getTime() + 60_000).toISOString());
    await app.services.outbox.drain();

    expect(waiting).toEqual({ pending: 1, info: null });
    expect(callerInfo(sid).info).toMatchObject({ status: 'found' });
    expect(app.services.db.prepare('SELECT lookups FROM lookup_spend').pluck().all()).toEqual([1]);
  });

  it('when the look-up is refused, then the hit says why and the job is not retried', async () => {
    const { to, lookups } = await setUp();
    lookups.mockRejectedValueOnce(new ProviderError('provider-error', 'Looking up failed: Twilio error 20404: not found', { providerCode: 20404 }));
    const [caller] = await namedCallers(1);

    const sid = await call(app, to, caller!);
    await app.services.outbox.drain();

    expect(callerInfo(sid).info).toEqual({ status: 'failed', reason: expect.stringContaining('20404') });
    expect(lookupsPending()).toBe(0);
  });

  it('when the caller withheld the number, then there is no look-up', async () => {
    const { to, lookups } = await setUp();

    const sid = await call(app, to, 'anonymous');
    await app.services.outbox.drain();

    expect(lookups).not.toHaveBeenCalled();
    expect(callerInfo(sid).info).toMatchObject({ status: 'skipped' });
  });
  it('when the day\'s look-ups pass 80 % of the budget, then budget-near-cap is published once', async () => {
    const { to } = await setUp({ LOOKUP_DAILY_BUDGET: '5' });
    for (const caller of await namedCallers(5)) {
      await call(app, to, caller);
      await app.services.outbox.drain();
    }
    const events = (app.services.db.prepare(`SELECT payload FROM outbox WHERE kind = 'alert-event'`).pluck().all() as string[])
      .map((p) => JSON.parse(p).event).filter((e) => e.kind === 'budget-near-cap');
    expect(events).toEqual([{ kind: 'budget-near-cap', budget: 'lookups-daily', amount: 4, cap: 5, currency: null }]);
  });

  it('when the look-up answers after the report folded the call, then the kept report shows the looked-up name, on its thread and in process, without a rebuild', async () => {
    app = numbersTestApp();
    const ch = await channel(app);
    const [canary] = await canaries(app, ch);
    app.clock.set(new Date(app.clock.now().getTime() + 10 * 60_000).toISOString());
    const [caller] = await namedCallers(1);
    const { callerName } = await new SimulatedProvider().lookupCaller(caller!);
    await call(app, canary!.phoneNumber, caller!);
    const shownName = (r: Awaited<ReturnType<typeof app.services.reportOffThread>>) =>
      r.channels.flatMap((c) => c.callers).find((c) => c.number === caller)?.name;
    // Folded before the look-up: no name yet, in either place the report is kept.
    expect(shownName(await app.services.reportOffThread())).toBeNull();
    expect(shownName(app.services.report())).toBeNull();
    await app.services.outbox.drain();
    expect(shownName(await app.services.reportOffThread())).toBe(callerName);
    expect(shownName(app.services.report())).toBe(callerName);
  });
});

