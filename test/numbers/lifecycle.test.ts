// The whole number lifecycle on the simulated provider, with a settable clock:
// provision → burn-in → ready / retired → assigned → retired → released after the quarantine.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../src/numbers/twilio/errors.ts';
import { PUBLIC_BASE_URL } from '../support/app.ts';
import { call, canaries, channel, hitsTo, provision, text } from './support/actions.ts';
import { DAY_MS, START, evidenceKinds, numberRow, numbersTestApp, type NumbersTestApp } from './support/app.ts';

const CALLER = '+12125550123';
let app: NumbersTestApp;
afterEach(async () => {
  await app?.dispose();
});

const status = (phone: string) => numberRow(app, phone).status;

describe('provisioning on the simulated provider', () => {
  it('when numbers are provisioned, then each starts a burn-in, priced, with the tracer’s webhooks and a label that gives nothing away', async () => {
    app = numbersTestApp({ env: { TWILIO_VOICE_FALLBACK_URL: 'https://fallback.example.org/voice' } });

    const bought = await provision(app, { count: 3 });

    expect(bought).toHaveLength(3);
    const owned = await app.sim.listOwned();
    for (const n of bought) {
      expect(n).toMatchObject({ status: 'burn-in', country: 'US', numberType: 'local', monthlyPrice: 1.15, currency: 'USD', isControl: false });
      expect(n.burnInEndsAt).toBe(new Date(Date.parse(START) + 14 * DAY_MS).toISOString());
      expect(n.friendlyName).not.toMatch(/canary|tracer|trap|leak|test/i);
      const onProvider = owned.find((o) => o.providerSid === n.providerSid);
      expect(onProvider?.webhooks).toEqual({
        voiceUrl: `${PUBLIC_BASE_URL}/twilio/voice`, smsUrl: `${PUBLIC_BASE_URL}/twilio/sms`,
        statusCallback: `${PUBLIC_BASE_URL}/twilio/status`, voiceFallbackUrl: 'https://fallback.example.org/voice',
      });
    }
    expect(evidenceKinds(app).filter((k) => k === 'number-provisioned')).toHaveLength(3);
  });

  it('when a canary needs a number and none is ready, then the simulator mints one through the provider, ready at once', async () => {
    app = numbersTestApp();
    const ch = await channel(app);

    const [canary] = await canaries(app, ch);

    const row = numberRow(app, canary!.phoneNumber);
    expect(row).toMatchObject({ status: 'assigned', burn_in_ends_at: null, ready_at: START, provider: 'simulated' });
    expect((await app.sim.listOwned()).map((o) => o.providerSid)).toContain(row.provider_sid);
  });

  it('when the tracer restarts, then the simulator owns the store’s numbers again and a sync finds nothing amiss', async () => {
    app = numbersTestApp();
    const [n] = await provision(app, { count: 1 });

    app = await app.restart();
    const { reconcile } = await app.services.numberService.sync();

    expect((await app.sim.listOwned()).map((o) => o.phoneNumber)).toEqual([n!.phoneNumber]);
    expect(reconcile).toMatchObject({ missing: [], webhooksFixed: [], untracked: [], failures: [] });
  });
});

describe('burn-in', () => {
  it('when a call or text reaches a number in burn-in, then it is recorded as that number’s background', async () => {
    app = numbersTestApp();
    const [n] = await provision(app, { count: 1 });

    await call(app, n!.phoneNumber, CALLER);
    await text(app, n!.phoneNumber, CALLER);

    expect(hitsTo(app, n!.phoneNumber).map((h) => h.classification)).toEqual(['burn-in', 'burn-in']);
    expect(app.services.report().noise.burnInHits).toBe(2);
  });

  it('when the burn-in is not over, then the number stays in burn-in and no canary gets it', async () => {
    app = numbersTestApp();
    const [n] = await provision(app, { count: 1 });
    app.clock.advanceDays(13.9);

    const step = await app.services.numberLifecycle.step();
    const [canary] = await canaries(app, await channel(app));

    expect(step.ready).toEqual([]);
    expect(status(n!.phoneNumber)).toBe('burn-in');
    expect(canary!.phoneNumber).not.toBe(n!.phoneNumber);
  });

  it('when the burn-in ends with traffic at or under the threshold, then the number is ready; over it, it is retired unplanted and released', async () => {
    app = numbersTestApp({ env: { BURN_IN_MAX_HITS: '1' } });
    const [quiet, noisy] = await provision(app, { count: 2 });
    await call(app, quiet!.phoneNumber, CALLER);
    await call(app, noisy!.phoneNumber, CALLER);
    await text(app, noisy!.phoneNumber, CALLER);
    app.clock.advanceDays(14);

    const step = await app.services.numberLifecycle.step();

    expect(step.ready).toEqual([{ id: quiet!.id, phoneNumber: quiet!.phoneNumber, isControl: false, burnInHits: 1 }]);
    expect(step.retired).toEqual([{ id: noisy!.id, phoneNumber: noisy!.phoneNumber, burnInHits: 2 }]);
    expect(numberRow(app, quiet!.phoneNumber)).toMatchObject({ status: 'ready', ready_at: app.clock.now().toISOString() });
    // Never given to a canary, so no quarantine: it is released straight away.
    expect(numberRow(app, noisy!.phoneNumber)).toMatchObject({ status: 'released', retired_reason: 'burn-in-traffic', assigned_at: null });
    expect((await app.sim.listOwned()).map((o) => o.phoneNumber)).toEqual([quiet!.phoneNumber]);
  });

  it('when calls missed during the burn-in are backfilled after it ended, then they still count as burn-in', async () => {
    app = numbersTestApp({ env: { BURN_IN_MAX_HITS: '0' } });
    const [n] = await provision(app, { count: 1 });
    app.sim.recordInbound({ kind: 'call', from: CALLER, to: n!.phoneNumber, at: new Date(Date.parse(START) + DAY_MS).toISOString() });
    app.clock.advanceDays(15);

    const { reconcile, lifecycle } = await app.services.numberService.sync();

    expect(reconcile.backfilled).toEqual({ calls: 1, messages: 0 });
    expect(hitsTo(app, n!.phoneNumber).map((h) => h.classification)).toEqual(['burn-in']);
    expect(lifecycle.retired.map((r) => r.phoneNumber)).toEqual([n!.phoneNumber]);
  });
});

describe('controls', () => {
  it('when twenty numbers finish their burn-in, then a tenth are kept as controls and no canary ever gets one', async () => {
    app = numbersTestApp();
    await provision(app, { count: 20 });
    app.clock.advanceDays(14);

    const step = await app.services.numberLifecycle.step();
    const controls = step.ready.filter((n) => n.isControl).map((n) => n.phoneNumber);
    const planted = await canaries(app, await channel(app), 19);

    expect(step.ready).toHaveLength(20);
    expect(controls).toHaveLength(2);
    const plantedPhones = planted.map((c) => c.phoneNumber);
    expect(plantedPhones.filter((p) => controls.includes(p))).toEqual([]);
    // 18 burnt-in numbers went to canaries; the 19th canary got a freshly minted one.
    expect(plantedPhones.filter((p) => numberRow(app, p).burn_in_ends_at !== null)).toHaveLength(18);
    for (const p of controls) expect(numberRow(app, p)).toMatchObject({ status: 'ready', is_control: 1, assigned_at: null });
  });

  it('when calls reach a control, then they are background, and the report gives the control rate in calls per number-day', async () => {
    app = numbersTestApp({ env: { CONTROL_SHARE: '0.9' } });
    await provision(app, { count: 1 });
    app.clock.advanceDays(14);
    const [ready] = (await app.services.numberLifecycle.step()).ready;
    app.clock.advanceDays(2);

    await call(app, ready!.phoneNumber, CALLER);
    const noise = app.services.report().noise;

    expect(ready!.isControl).toBe(true);
    expect(hitsTo(app, ready!.phoneNumber).map((h) => h.classification)).toEqual(['control']);
    expect(noise).toMatchObject({ controlHits: 1, controlNumbers: 1, controlNumberDays: 2, controlCallsPerNumberDay: 0.5 });
  });
});

describe('assignment, retirement and release', () => {
  async function assignedNumber(env: Record<string, string> = {}) {
    app = numbersTestApp({ env: { CONTROL_SHARE: '0', ...env } });
    const [n] = await provision(app, { count: 1 });
    app.clock.advanceDays(14);
    await app.services.numberLifecycle.step();
    const [canary] = await canaries(app, await channel(app));
    expect(canary!.phoneNumber).toBe(n!.phoneNumber);
    return { number: n!, canary: canary! };
  }

  it('when a number has been assigned, then no other canary ever gets it, even after its canary is retired', async () => {
    const { number, canary } = await assignedNumber();

    app.services.numberLifecycle.retireNumberOfCanary(canary.id);
    const later = await canaries(app, await channel(app, 'Vendor B'), 3);

    expect(later.map((c) => c.phoneNumber)).not.toContain(number.phoneNumber);
    expect(() => app.services.numbers.markAssigned(number.id, app.clock.now().toISOString())).toThrow(/already assigned/);
  });

  it('when a canary’s number is retired, then late calls still count, and it is released on the provider only after the quarantine', async () => {
    const { number, canary } = await assignedNumber({ RELEASE_QUARANTINE_DAYS: '30' });

    const retired = app.services.numberLifecycle.retireNumberOfCanary(canary.id);
    app.clock.advanceDays(29);
    await call(app, number.phoneNumber, CALLER);
    const early = await app.services.numberLifecycle.step();
    app.clock.advanceDays(1);
    const due = await app.services.numberLifecycle.step();

    expect(retired).toMatchObject({ status: 'retired', retiredReason: 'canary-retired' });
    expect(hitsTo(app, number.phoneNumber).map((h) => h.classification)).toEqual(['after-planting']);
    expect(early.released).toEqual([]);
    expect(due.released).toEqual([{ id: number.id, phoneNumber: number.phoneNumber }]);
    expect(status(number.phoneNumber)).toBe('released');
    expect(await app.sim.listOwned()).toEqual([]);
  });

  it('when a release fails, then the number stays retired and marked with the error, and a later step releases it', async () => {
    const { number, canary } = await assignedNumber({ RELEASE_QUARANTINE_DAYS: '0' });
    app.services.numberLifecycle.retireNumberOfCanary(canary.id);
    const unavailable = new ProviderError('provider-unavailable', `Releasing ${number.providerSid} failed: Twilio error 20503: Service unavailable`, { providerCode: 20503 });
    vi.spyOn(app.sim, 'release').mockRejectedValueOnce(unavailable);

    const failed = await app.services.numberLifecycle.step();
    const tooSoon = await app.services.numberLifecycle.step();
    app.clock.set(new Date(app.clock.now().getTime() + 2 * 3_600_000).toISOString());
    const retried = await app.services.numberLifecycle.step();

    expect(failed.releaseFailed).toEqual([{ id: number.id, phoneNumber: number.phoneNumber, error: expect.stringContaining('Twilio error 20503') }]);
    expect(tooSoon.releaseFailed).toEqual([]);
    expect(retried.released.map((r) => r.id)).toEqual([number.id]);
    expect(numberRow(app, number.phoneNumber)).toMatchObject({ status: 'released', release_error: null });
  });

  it('when a release fails, then the number is listed with the error, not forgotten', async () => {
    const { number, canary } = await assignedNumber({ RELEASE_QUARANTINE_DAYS: '0' });
    app.services.numberLifecycle.retireNumberOfCanary(canary.id);
    vi.spyOn(app.sim, 'release').mockRejectedValue(new ProviderError('bad-credentials', 'Releasing failed: Twilio error 20003: Authenticate'));

    await app.services.numberLifecycle.step();
    const listed = app.services.numberService.list().numbers.find((n) => n.id === number.id);

    expect(listed).toMatchObject({ status: 'retired', releaseError: expect.stringMatching(/bad-credentials: .*20003/) });
    expect(evidenceKinds(app)).toContain('number-lifecycle');
  });

  it('when staff release a ready number, then it goes at once; a canary’s number waits out its quarantine unless asked now', async () => {
    app = numbersTestApp({ env: { CONTROL_SHARE: '0' } });
    const [spare, planted] = await provision(app, { count: 2 });
    app.clock.advanceDays(14);
    await app.services.numberLifecycle.step();
    app.services.numbers.markAssigned(planted!.id, app.clock.now().toISOString());

    const spareOut = await app.services.numberService.release(spare!.id);
    const waiting = await app.services.numberService.release(planted!.id);
    const forced = await app.services.numberService.release(planted!.id, { now: true });

    expect(spareOut).toMatchObject({ status: 'released', releaseAfter: null });
    expect(waiting).toMatchObject({ status: 'retired', retiredReason: 'released-by-staff' });
    expect(waiting.releaseAfter).toBe(new Date(app.clock.now().getTime() + 30 * DAY_MS).toISOString());
    expect(forced.status).toBe('released');
    await expect(app.services.numberService.release(planted!.id)).rejects.toMatchObject({ code: 'conflict' });
  });
});
