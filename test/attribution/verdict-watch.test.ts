import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';

describe('verdict changes as events', () => {
  let app: TestApp;
  afterEach(async () => app?.dispose());

  const published = () => (app.services.db.prepare(`SELECT payload FROM outbox WHERE kind = 'alert-event'`).pluck().all() as string[])
    .map((p) => JSON.parse(p).event).filter((e) => e.kind === 'verdict-changed');

  it('when a firm\'s calls make a channel leak, then one verdict-changed event says so, and reading again publishes nothing new', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'CRM export', kind: 'crm' });
    await createChannel(app, { name: 'Quiet', kind: 'other' });
    const canaries = await plant(app, [ch.id], 3);
    for (const c of canaries) {
      app.clock.advanceMinutes(10);
      await signedWebhook(app, '/twilio/voice', callParams(c.phoneNumber, '+966112345678'));
      await app.services.outbox.drain();
    }
    await app.services.outbox.drain();
    const events = published();
    expect(events.at(-1)).toMatchObject({ channelId: ch.id, to: 'leaking' });
    expect(events.every((e) => e.channelId === ch.id)).toBe(true); // the quiet channel's moves are no news
    expect(events.at(-1).reason).toMatch(/^[23] of 3 canaries exposed to this channel .*called by the same caller \+966112345678/);
    const before = events.length;
    await signedWebhook(app, '/twilio/voice', callParams(canaries[0]!.phoneNumber, '+966112345678'));
    await app.services.outbox.drain();
    await app.services.outbox.drain();
    expect(published()).toHaveLength(before);
  });
});
