import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, smsParams, type TestApp } from '../support/app.ts';

const toArabicDigits = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));

describe('variant evidence: the copy a caller quotes names the channel', () => {
  let app: TestApp;
  afterEach(async () => app?.dispose());

  it('when an SMS quotes, in Arabic-Indic digits with spaces, a reference only one planting carries, then that planting\'s channel shows the link with the text, and the other does not', async () => {
    app = buildTestApp();
    const a = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const b = await createChannel(app, { name: 'CRM', kind: 'crm' });
    const [k] = await plant(app, [a.id, b.id], 1);
    const rows = app.services.db.prepare('SELECT id, channel_id, variant FROM plantings WHERE canary_id = ?').all(k!.id) as Array<{ id: string; channel_id: string; variant: string }>;
    const ofB = rows.find((r) => r.channel_id === b.id)!;
    const ofA = rows.find((r) => r.channel_id === a.id)!;
    const ref: string = JSON.parse(ofB.variant).reference;
    expect(JSON.parse(ofA.variant).reference).not.toBe(ref);
    const spaced = toArabicDigits(ref.replace(/(\d{4})(?=\d)/g, '$1 '));
    const body = `<script>x</script> بخصوص الطلب رقم ${spaced} يرجى السداد`;
    app.clock.advanceMinutes(20);
    expect((await signedWebhook(app, '/twilio/sms', smsParams(k!.phoneNumber, '+966501110001', body))).status).toBe(200);
    const r = (await request(app.http).get('/api/v1/report').set(bearer(app.tokens.investigator))).body;
    const vb = r.channels.find((c: any) => c.channelId === b.id);
    const va = r.channels.find((c: any) => c.channelId === a.id);
    expect(vb.variantEvidence).toHaveLength(1);
    expect(vb.variantEvidence[0]).toMatchObject({ plantingId: ofB.id, element: 'reference', planted: ref, source: 'sms', quote: body });
    expect(vb.variantEvidence[0].words).toContain('only the copy planted in this channel carries');
    expect(va.variantEvidence).toEqual([]);
    expect(vb.reasons[0]).toMatch(/^Strongest evidence: an SMS quotes reference /);
    expect(va.reasons.join(' ')).not.toContain('Strongest evidence');
  });

  it('when a caller says only what every copy shares, then nothing is linked; when an investigator notes the distinctive name spelling heard, then the note links the call', async () => {
    app = buildTestApp();
    const a = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const b = await createChannel(app, { name: 'CRM', kind: 'crm' });
    const [k] = await plant(app, [a.id, b.id], 1);
    const rows = app.services.db.prepare('SELECT channel_id, variant FROM plantings WHERE canary_id = ?').all(k!.id) as Array<{ channel_id: string; variant: string }>;
    const vA = JSON.parse(rows.find((r) => r.channel_id === a.id)!.variant);
    const vB = JSON.parse(rows.find((r) => r.channel_id === b.id)!.variant);
    const sharedPrefix = String(vA.reference).slice(0, 4); // year and month: every copy's reference starts so
    expect(String(vB.reference).startsWith(sharedPrefix)).toBe(true);
    app.clock.advanceMinutes(20);
    await signedWebhook(app, '/twilio/sms', smsParams(k!.phoneNumber, '+966501110001', `ref ${sharedPrefix} overdue`));
    let r = (await request(app.http).get('/api/v1/report').set(bearer(app.tokens.investigator))).body;
    expect(r.channels.flatMap((c: any) => c.variantEvidence)).toEqual([]);
    await signedWebhook(app, '/twilio/voice', callParams(k!.phoneNumber, '+966501110001'));
    const hit = (await request(app.http).get('/api/v1/hits').set(bearer(app.tokens.investigator))).body.hits.find((h: any) => h.kind === 'call');
    expect(vA.fullName).not.toBe(vB.fullName); // two copies, two spellings
    const heard = `caller asked for ${vA.fullName} about the bill`;
    expect((await request(app.http).post(`/api/v1/hits/${hit.id}/notes`).set(bearer(app.tokens.investigator)).send({ text: heard })).status).toBe(201);
    expect((await request(app.http).post('/api/v1/hits/hit_nope/notes').set(bearer(app.tokens.investigator)).send({ text: 'x' })).body.error).toBe('unknown-hit');
    r = (await request(app.http).get('/api/v1/report').set(bearer(app.tokens.investigator))).body;
    const links = r.channels.flatMap((c: any) => c.variantEvidence);
    expect(links.map((l: any) => [l.channelId, l.source, l.element])).toEqual([[a.id, 'note', 'name']]);
    expect(links[0].quote).toBe(heard);
  });
});
