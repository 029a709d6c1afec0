import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callParams, plant, signedWebhook } from '../support/app.ts';
import { alertsFixture, drain, startReceiver, type AlertsFixture, type Receiver } from './support.ts';

let f: AlertsFixture;
let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
  f = await alertsFixture({ ALERT_THROTTLE_MINUTES: '10' });
});
afterEach(async () => {
  await f.app.dispose();
  await receiver.close();
});

const storedHits = (f: AlertsFixture) => f.app.services.db.prepare('SELECT count(*) FROM hits').pluck().get() as number;

describe('alert throttle', () => {
  it('when 50 hits reach a canary in a minute, then one alert goes at once, one digest counting 49 when the window closes, and all 50 hits are stored', async () => {
    await f.addOutput({ kind: 'webhook', name: 'siem', url: receiver.url });
    const callers = ['+966512345601', '+966512345602', '+966512345603'];

    for (let i = 0; i < 50; i++) {
      await f.call(callers[i % 3]!, { CallerName: i % 3 === 0 ? 'Nadir Leak Services' : '' });
      f.app.clock.advanceMinutes(1 / 50);
      if (i % 10 === 0) await drain(f.app);
    }
    await drain(f.app);

    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.json).toMatchObject({ event: 'hit-stored', caller: { number: '+966512345601' }, digest: null });
    expect(storedHits(f)).toBe(50);

    f.app.clock.advanceMinutes(10);
    await drain(f.app);

    expect(receiver.received).toHaveLength(2);
    const digest = receiver.received[1]!.json;
    expect(digest.digest.count).toBe(49);
    expect(digest.digest.hitIds).toHaveLength(49);
    const byNumber = [...digest.digest.callers].sort((a: { number: string }, b: { number: string }) => a.number.localeCompare(b.number));
    expect(byNumber).toEqual([
      { number: '+966512345601', name: 'Nadir Leak Services', hits: 16 },
      { number: '+966512345602', name: null, hits: 17 },
      { number: '+966512345603', name: null, hits: 16 },
    ]);
    expect(digest.digest.callers[0].hits).toBe(17);
    expect(digest.summary).toMatch(/^49 more hits on canaries in channel CRM export in 10 min \(throttled\)/);
    // Every hit is alerted once: the first by itself, the others in the digest.
    const alerted = new Set([receiver.received[0]!.json.hitId, ...digest.digest.hitIds]);
    expect(alerted.size).toBe(50);
    expect(storedHits(f)).toBe(50);
  });

  it('when a caller rings a second canary inside the window, then it joins that caller\'s digest (throttle per party), and after the window a hit alerts at once again', async () => {
    await f.addOutput({ kind: 'webhook', name: 'siem', url: receiver.url });
    const [second] = await plant(f.app, [f.channel.id]);
    await f.call('+966512345601');
    await drain(f.app);
    await signedWebhook(f.app, '/twilio/voice', callParams(second!.phoneNumber, '+966512345601'));
    await drain(f.app);
    expect(receiver.received).toHaveLength(1);

    f.app.clock.advanceMinutes(11);
    await drain(f.app);
    expect(receiver.received[1]!.json.digest.count).toBe(1);
    await f.call('+966512345601');
    await drain(f.app);

    expect(receiver.received).toHaveLength(3);
    expect(receiver.received[2]!.json.digest).toBeNull();
  });

  it('when an output sets no throttle, then every hit alerts by itself', async () => {
    await f.addOutput({ kind: 'webhook', name: 'siem', url: receiver.url, throttleMinutes: 0 });
    for (let i = 0; i < 5; i++) await f.call('+966512345601');
    await drain(f.app);
    expect(receiver.received).toHaveLength(5);
  });
});
