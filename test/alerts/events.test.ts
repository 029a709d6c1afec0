import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishEvent, type TracerEvent } from '../../src/alerts/events.ts';
import type { SimulatedProvider } from '../../src/numbers/simulated-provider.ts';
import { callParams, signedWebhook } from '../support/app.ts';
import { alertsFixture, drain, startReceiver, type AlertsFixture, type Receiver } from './support.ts';

let f: AlertsFixture;
let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
  f = await alertsFixture();
});
afterEach(async () => {
  await f.app.dispose();
  await receiver.close();
});

/** Publishes as a writer does: inside the transaction that records the fact. */
const publish = (event: TracerEvent) => {
  const { db, outbox, clock } = f.app.services;
  db.transaction(() => publishEvent(outbox, event, clock().toISOString()))();
};
const summaries = () => receiver.received.map((r) => r.json.summary as string);

describe('events on the outbox', () => {
  it('when a hit is stored, then its hit-stored event is on the outbox from the same commit, and a repeated webhook publishes nothing more', async () => {
    const params = callParams(f.canary.phoneNumber, '+966512345678');
    await signedWebhook(f.app, '/twilio/voice', params);
    await signedWebhook(f.app, '/twilio/voice', params);

    const events = f.app.services.db.prepare("SELECT payload FROM outbox WHERE kind = 'alert-event'").pluck().all() as string[];
    const hit = f.app.services.hits.list().items[0]!;
    expect(events.map((p) => JSON.parse(p))).toEqual([{ event: { kind: 'hit-stored', hitId: hit.id }, occurredAt: hit.receivedAt }]);
  });

  it('when events are published by the other areas, then each subscribed output gets its one line', async () => {
    await f.addOutput({ kind: 'webhook', name: 'siem', url: receiver.url, minSeverity: 'info', events: ['verdict-changed', 'forged-burst', 'party-appeared', 'budget-near-cap', 'number-release-failed'] });

    publish({ kind: 'verdict-changed', channelId: f.channel.id, from: 'suspect', to: 'leaking', probability: 0.97, hitIds: ['hit_abc'] });
    publish({ kind: 'forged-burst', count: 37, windowSeconds: 60, path: '/twilio/voice' });
    publish({ kind: 'party-appeared', callerNumber: '+966512345678', name: 'Nadir Leak Services', hitId: 'hit_abc' });
    publish({ kind: 'budget-near-cap', budget: 'numbers-monthly', amount: 85, cap: 100, currency: 'USD' });
    publish({ kind: 'number-release-failed', numberId: 'num_1', last4: '1234', error: 'provider-error: 20003 authenticate' });
    await drain(f.app);

    // Deliveries of one pass go out side by side: order of arrival is not theirs to keep.
    expect(summaries().sort()).toEqual([
      'Channel CRM export is now leaking (p = 0.97), was suspect',
      '37 forged webhooks refused in 60 s on /twilio/voice',
      'New caller +966512345678 (Nadir Leak Services) reached a canary',
      'Canary numbers cost 85 USD, 85 % of the 100 USD budget',
      'Releasing number ending 1234 failed: provider-error: 20003 authenticate',
    ].sort());
    expect(receiver.received.find((r) => r.json.event === 'verdict-changed')!.json).toMatchObject({ event: 'verdict-changed', severity: 'critical', verdict: 'leaking', url: 'https://tracer.example.org/hits/hit_abc' });
  });

  it('when an output subscribes to some events or a minimum severity, then it gets only those', async () => {
    await f.addOutput({ kind: 'webhook', name: 'verdicts only', url: receiver.url, events: ['verdict-changed'] });
    await f.addOutput({ kind: 'webhook', name: 'critical only', url: `${receiver.url}/critical`, minSeverity: 'critical', events: ['hit-stored', 'verdict-changed'] });

    // (No call here: a real call moves the verdict and publishes a verdict-changed of its own.)
    publish({ kind: 'verdict-changed', channelId: f.channel.id, from: null, to: 'suspect' });
    publish({ kind: 'verdict-changed', channelId: f.channel.id, from: 'suspect', to: 'leaking' });
    await drain(f.app);

    const got = receiver.received.map((r) => `${r.path} ${r.json.event}:${r.json.verdict}`).sort();
    expect(got).toEqual(['/hook verdict-changed:leaking', '/hook verdict-changed:suspect', '/hook/critical verdict-changed:leaking']);
  });

  it('when the transaction that published an event rolls back, then no alert goes out', async () => {
    await f.addOutput({ kind: 'webhook', name: 'siem', url: receiver.url, minSeverity: 'info' });
    const { db, outbox, clock } = f.app.services;

    expect(() => db.transaction(() => {
      publishEvent(outbox, { kind: 'forged-burst', count: 3, windowSeconds: 10 }, clock().toISOString());
      throw new Error('the fact was not recorded');
    })()).toThrow();
    await drain(f.app);

    expect(receiver.received).toEqual([]);
  });

  it('when reconcile finds a canary number gone from the account, then number-missing is alerted with its last four digits only', async () => {
    await f.addOutput({ kind: 'webhook', name: 'siem', url: receiver.url, events: ['number-missing'] });
    const sim = f.app.services.numberProvider as SimulatedProvider;
    const n = f.app.services.numbers.findByPhone(f.canary.phoneNumber)!;
    await sim.release(n.providerSid!);

    await f.app.services.numberService.sync();
    await drain(f.app);

    const last4 = f.canary.phoneNumber.slice(-4);
    expect(summaries()).toEqual([`Canary number ending ${last4} is gone from the provider account`]);
    expect(receiver.received[0]!.body).not.toContain(f.canary.phoneNumber);
  });
});
