import request from 'supertest';
import { expect } from 'vitest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, smsParams, type TestApp } from '../support/app.ts';

export const FIRM = '+966112345678';
/** A caller name written by the people we trace: a spreadsheet formula and markup. */
export const HOSTILE_NAME = '=HYPERLINK("http://x.example","LEAK")<script>alert(1)</script>';

/** Vendor A leaks to a firm that rings each of its 3 canaries minutes after planting; Contractor B stays silent. */
export async function leakScenario(): Promise<{ app: TestApp; a: { id: string; name: string }; b: { id: string; name: string }; caseId: string; leakHits: number }> {
  const app = buildTestApp();
  const a = await createChannel(app, { name: 'Vendor A night shift', kind: 'call-centre-vendor' });
  const b = await createChannel(app, { name: 'Contractor B', kind: 'contractor-export' });
  const ca = await plant(app, [a.id], 3);
  await plant(app, [b.id], 3);
  for (const c of ca) {
    app.clock.advanceMinutes(9);
    const res = await signedWebhook(app, '/twilio/voice', callParams(c.phoneNumber, FIRM, { CallerName: HOSTILE_NAME, FutureParam: '  kept as sent  ' }));
    expect(res.status).toBe(200);
  }
  await signedWebhook(app, '/twilio/sms', smsParams(ca[0]!.phoneNumber, FIRM, '+1 call us @ now'));
  app.clock.advanceMinutes(4 * 24 * 60);
  const res = await request(app.http).post('/api/v1/cases').set(bearer(app.tokens.investigator))
    .send({ title: 'Leak via Vendor A', description: 'Customers called by a leak firm', channelIds: [a.id, b.id] });
  expect(res.status).toBe(201);
  return { app, a, b, caseId: res.body.id, leakHits: 4 };
}
