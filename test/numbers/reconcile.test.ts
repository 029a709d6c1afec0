// Reconcile on the simulated provider: the account against the pool, and calls the webhooks missed.
import { afterEach, describe, expect, it } from 'vitest';
import { PUBLIC_BASE_URL } from '../support/app.ts';
import { call, canaries, channel, hitsTo, provision } from './support/actions.ts';
import { DAY_MS, START, evidenceKinds, numberRow, numbersTestApp, type NumbersTestApp } from './support/app.ts';

const CALLER = '+12125550123';
let app: NumbersTestApp;
afterEach(async () => {
  await app?.dispose();
});

const sync = () => app.services.numberService.sync();
const at = (days: number) => new Date(Date.parse(START) + days * DAY_MS).toISOString();

describe('reconcile: the account against the pool', () => {
  it('when someone changed a number’s webhook URLs, then sync puts them back and records what they were', async () => {
    app = numbersTestApp();
    const [n] = await provision(app, { count: 1 });
    const expected = (await app.sim.listOwned())[0]!.webhooks;
    await app.sim.updateWebhooks(n!.providerSid!, { ...expected, voiceUrl: 'https://elsewhere.example.com/voice', smsUrl: '' });

    const { reconcile } = await sync();

    expect(reconcile.webhooksFixed).toEqual([
      { id: n!.id, phoneNumber: n!.phoneNumber, was: { voiceUrl: 'https://elsewhere.example.com/voice', smsUrl: null } },
    ]);
    expect((await app.sim.listOwned())[0]!.webhooks).toEqual(expected);
    const entry = app.services.evidence.list().find((e) => e.kind === 'number-webhooks-fixed');
    expect(entry?.payload).toMatchObject({ was: { voiceUrl: 'https://elsewhere.example.com/voice' }, now: { voiceUrl: `${PUBLIC_BASE_URL}/twilio/voice` } });
    expect((await sync()).reconcile.webhooksFixed).toEqual([]);
  });

  it('when a number is gone from the account, then sync flags it once and no canary is given it', async () => {
    app = numbersTestApp({ env: { CONTROL_SHARE: '0' } });
    const [gone] = await provision(app, { count: 1 });
    app.clock.advanceDays(14);
    await app.services.numberLifecycle.step();
    await app.sim.release(gone!.providerSid!);

    const first = await sync();
    const second = await sync();
    const [canary] = await canaries(app, await channel(app));

    expect(first.reconcile.missing).toEqual([{ id: gone!.id, phoneNumber: gone!.phoneNumber, since: app.clock.now().toISOString() }]);
    expect(second.reconcile.missing).toHaveLength(1);
    expect(evidenceKinds(app).filter((k) => k === 'number-missing')).toHaveLength(1);
    expect(numberRow(app, gone!.phoneNumber)).toMatchObject({ status: 'ready', missing_since: app.clock.now().toISOString() });
    expect(canary!.phoneNumber).not.toBe(gone!.phoneNumber);
  });

  it('when the account holds numbers the tracer does not, then they are reported and left alone', async () => {
    app = numbersTestApp();
    await provision(app, { count: 1 });
    const stranger = await app.sim.purchase({
      phoneNumber: '+12025550199', friendlyName: 'Front desk', webhooks: { voiceUrl: 'https://x.example/v', smsUrl: '', statusCallback: '' },
    });

    const { reconcile } = await sync();

    expect(reconcile.untracked).toEqual([stranger.phoneNumber]);
    expect((await app.sim.listOwned()).find((o) => o.providerSid === stranger.providerSid)?.webhooks.voiceUrl).toBe('https://x.example/v');
  });
});

describe('backfill: calls and messages the webhooks missed', () => {
  it('when calls and texts reached a number while the webhooks were down, then sync stores them as hits, marked as backfilled, once', async () => {
    app = numbersTestApp();
    const [n] = await provision(app, { count: 1 });
    const missedCall = app.sim.recordInbound({ kind: 'call', from: CALLER, to: n!.phoneNumber, at: at(1), durationSeconds: 42 });
    const missedText = app.sim.recordInbound({ kind: 'sms', from: CALLER, to: n!.phoneNumber, body: 'still leaking?', at: at(2) });
    app.clock.advanceDays(3);

    const first = await sync();
    const second = await sync();

    expect(first.reconcile.backfilled).toEqual({ calls: 1, messages: 1 });
    expect(second.reconcile.backfilled).toEqual({ calls: 0, messages: 0 });
    const hits = hitsTo(app, n!.phoneNumber);
    expect(hits.map((h) => [h.provider_sid, h.kind, h.received_at])).toEqual([
      [missedCall.sid, 'call', at(1)],
      [missedText.sid, 'sms', at(2)],
    ]);
    for (const h of hits) expect(JSON.parse(h.raw)).toMatchObject({ tracerSource: 'backfill' });
    expect(app.services.hits.findBySid(missedCall.sid)).toMatchObject({ callStatus: 'completed', durationSeconds: 42 });
    const entry = app.services.evidence.list().find((e) => e.kind === 'hits-backfilled');
    expect(entry?.payload).toMatchObject({ calls: [missedCall.sid], messages: [missedText.sid] });
  });

  it('when a webhook stored a call that the backfill lists too, then it stays one hit, as the webhook stored it', async () => {
    app = numbersTestApp();
    const [n] = await provision(app, { count: 1 });
    const sid = await call(app, n!.phoneNumber, CALLER);
    app.sim.recordInbound({ kind: 'call', sid, from: CALLER, to: n!.phoneNumber, at: app.clock.now().toISOString() });

    const { reconcile } = await sync();

    expect(reconcile.backfilled).toEqual({ calls: 0, messages: 0 });
    const hits = hitsTo(app, n!.phoneNumber);
    expect(hits.map((h) => h.provider_sid)).toEqual([sid]);
    expect(JSON.parse(hits[0]!.raw)).not.toHaveProperty('tracerSource');
  });

  it('when a backfilled call reached a planted canary, then it is evidence like a webhook hit', async () => {
    app = numbersTestApp();
    const [canary] = await canaries(app, await channel(app));
    app.clock.advanceDays(1);
    app.sim.recordInbound({ kind: 'call', from: CALLER, to: canary!.phoneNumber });

    await sync();
    const report = app.services.report();

    expect(hitsTo(app, canary!.phoneNumber).map((h) => h.classification)).toEqual(['after-planting']);
    // One call minutes after planting, backfilled: judged like a webhook hit (evidence, not yet a verdict alone).
    expect(report.channels[0]).toMatchObject({ canariesCalled: 1, hits: 1 });
    expect(report.channels[0]!.probability).toBeGreaterThan(report.model.prior);
  });
});

describe('progress: what a long sync reports while it runs', () => {
  it('when a sync is watched, then each held number is reported checked against the account, then backfilled, once and in order', async () => {
    app = numbersTestApp({ env: { CONTROL_SHARE: '0' } });
    const [gone, , called] = await provision(app, { count: 3 });
    app.clock.advanceDays(14);
    await app.services.numberLifecycle.step();
    await app.sim.release(gone!.providerSid!);
    app.sim.recordInbound({ kind: 'call', from: CALLER, to: called!.phoneNumber, at: app.clock.now().toISOString() });
    const events: Array<{ stage: string; done: number; total: number }> = [];

    const { reconcile } = await app.services.numberService.sync({ onProgress: (p) => events.push({ ...p }) });

    expect(events).toEqual([1, 2, 3].flatMap((done) => [{ stage: 'reconcile', done, total: 3 }, { stage: 'backfill', done, total: 3 }]));
    // The missing number still counts in the backfill stage: it is skipped there, not left out of the bar.
    expect(reconcile).toMatchObject({ held: 3, totals: { missing: 1 }, backfilled: { calls: 1, messages: 0 } });
  });
});
