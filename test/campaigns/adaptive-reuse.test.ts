import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, callParams, createChannel, signedWebhook, type TestApp } from '../support/app.ts';

// An adaptive round may re-expose a canary of an earlier round (its number costs nothing more): the
// campaign service must plant those new tickets on the existing canary, through the outbox, and
// only on canaries whose every channel the report now believes far from leaking.
describe('adaptive campaigns re-expose quiet canaries', () => {
  let app: TestApp;
  afterEach(async () => app?.dispose());

  const holdings = () => app.services.db.prepare(`SELECT p.canary_id AS canaryId, p.channel_id AS channelId, n.phone_number AS phone, coalesce(p.exposed_at, p.planted_at) AS at
      FROM plantings p JOIN canaries k ON k.id = p.canary_id JOIN canary_numbers n ON n.id = k.number_id ORDER BY p.created_at, p.id`).all() as Array<{ canaryId: string; channelId: string; phone: string; at: string }>;

  async function firstRound(n: number, budget: number) {
    app = buildTestApp();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await createChannel(app, { name: `Path ${i + 1}`, kind: 'other' })).id);
    const c = await app.services.campaigns.create({ name: 'which path?', channelIds: ids, design: 'adaptive', budget, maxLeakers: 1 });
    // The first round's staggered exposures are planted as they fall due; then the round runs its days.
    for (let h = 0; h < 48; h++) {
      app.clock.advanceMinutes(60);
      await app.services.outbox.drain();
    }
    return { ids, id: c.id };
  }

  it('when every channel stayed quiet, then the next round puts new tickets on the old canaries before taking a new number, and the outbox plants them', async () => {
    const { id } = await firstRound(16, 8);
    const before = holdings();
    const canariesBefore = new Set(before.map((h) => h.canaryId));
    const { proposal, planted } = await app.services.campaigns.next(id, { plant: true });
    expect(proposal).not.toBeNull();
    const reused = proposal!.design.filter((k) => k.canaryId !== undefined);
    expect(reused.length).toBeGreaterThan(0);
    expect(proposal!.newCanaries).toBe(proposal!.canaries - reused.length);
    for (const k of reused) expect(canariesBefore.has(k.canaryId!)).toBe(true);
    expect(planted).toBeDefined();
    // The new tickets are due across the round (staggered): plant them as they fall due.
    for (let h = 0; h < 48; h++) {
      app.clock.advanceMinutes(60);
      await app.services.outbox.drain();
    }
    const after = holdings();
    const added = after.slice(before.length);
    const onOld = added.filter((h) => canariesBefore.has(h.canaryId));
    expect(onOld.length).toBe(reused.reduce((s, k) => s + k.plantings.length, 0));
    // A canary never holds two tickets of one channel, and each reused ticket went to a channel new to it.
    const pairs = after.map((h) => `${h.canaryId}/${h.channelId}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const k of reused) {
      const old = new Set(before.filter((h) => h.canaryId === k.canaryId).map((h) => h.channelId));
      for (const p of k.plantings) expect(old.has(p.channelId)).toBe(false);
    }
    // Only the new numbers count against the budget.
    const campaign = app.services.campaigns.get(id);
    expect(campaign.canaries).toBe(canariesBefore.size + proposal!.design.filter((k) => k.canaryId === undefined).length);
    expect(campaign.scheduled).toBe(0);
  });

  it('when a leak firm rang a canary soon after its exposure, then that canary is not reused: its channels are in doubt', async () => {
    app = buildTestApp();
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) ids.push((await createChannel(app, { name: `Path ${i + 1}`, kind: 'other' })).id);
    const c = await app.services.campaigns.create({ name: 'which path?', channelIds: ids, design: 'adaptive', budget: 8, maxLeakers: 1 });
    let rung: string | null = null;
    // The firm rings the first canary that reaches the first path, minutes after its exposure: once, so
    // that the path is in doubt but not yet named.
    for (let h = 0; h < 48; h++) {
      app.clock.advanceMinutes(60);
      await app.services.outbox.drain();
      const x = holdings().find((y) => y.channelId === ids[0]);
      if (x && !rung) {
        rung = x.canaryId;
        app.clock.advanceMinutes(5);
        await signedWebhook(app, '/twilio/voice', callParams(x.phone, '+966112345678'));
      }
    }
    expect(rung).not.toBeNull();
    const { proposal } = await app.services.campaigns.next(c.id);
    expect(proposal).not.toBeNull();
    const reused = proposal!.design.filter((k) => k.canaryId !== undefined).map((k) => k.canaryId);
    // The quiet canaries are reused; the one rung is not, though it may have a free slot.
    expect(reused.length).toBeGreaterThan(0);
    expect(reused).not.toContain(rung);
  });
});
