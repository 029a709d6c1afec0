import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, createChannel, plant, signedWebhook, smsParams, type TestApp } from '../support/app.ts';
import { PROPOSE_DEBOUNCE_MS, PROPOSE_JOB } from '../../src/parties/auto-propose.ts';

const SCRIPT = 'Your water account is overdue. Pay today: https://pay-water.example.com/';

describe('parties: proposals run by themselves after new hits', () => {
  let app: TestApp;
  afterEach(async () => app?.dispose());

  const appeared = () => (app.services.db.prepare(`SELECT payload FROM outbox WHERE kind = 'alert-event'`).pluck().all() as string[])
    .map((p) => JSON.parse(p).event).filter((e) => e.kind === 'party-appeared');
  const pendingProposals = () => app.services.db.prepare('SELECT count(*) FROM outbox WHERE kind = ? AND done_at IS NULL').pluck().get(PROPOSE_JOB) as number;

  it('when a firm texts three canaries from three numbers, then without any manual call the party is proposed once, with one party-appeared event, and re-runs and replayed webhooks add nothing', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const ks = await plant(app, [ch.id], 3);
    const firm = ['+966501110001', '+966551110002', '+966591110003'];
    const sent: Array<Record<string, string>> = [];
    for (const [i, from] of firm.entries()) {
      app.clock.advanceMinutes(5);
      const params = smsParams(ks[i]!.phoneNumber, from, `${SCRIPT}${i}`);
      sent.push(params);
      const res = await signedWebhook(app, '/twilio/sms', params);
      expect(res.status).toBe(200); // answered with the hit on disk; proposals have not run yet
    }
    expect(app.services.parties.list()).toEqual([]);
    expect(pendingProposals()).toBe(1); // one debounced job for the whole burst

    app.clock.advanceMinutes(PROPOSE_DEBOUNCE_MS / 60_000 + 1);
    await app.services.outbox.drain();
    const parties = app.services.parties.list();
    expect(parties.map((p) => [p.status, p.numbers])).toEqual([['proposed', [...firm].sort()]]);
    expect(appeared()).toEqual([expect.objectContaining({ kind: 'party-appeared', partyId: parties[0]!.id })]);

    // A replayed webhook is no new hit and schedules nothing; a manual run and a job run again add nothing.
    expect((await signedWebhook(app, '/twilio/sms', sent[0]!)).status).toBe(200);
    expect(pendingProposals()).toBe(0);
    app.services.parties.propose();
    app.services.proposals.afterNewHits();
    app.clock.advanceMinutes(5);
    await app.services.outbox.drain();
    expect(app.services.parties.list()).toHaveLength(1);
    expect(appeared()).toHaveLength(1);
    const listed = (await request(app.http).get('/api/v1/parties').set(bearer(app.tokens.investigator))).body.parties;
    expect(listed).toHaveLength(1);
  });
});
