// Replays and reordered callbacks: every call sent three times and its status callbacks shuffled.
// One hit per call, the final status wins, and the evidence verifies.
import request from 'supertest';
import { callParams, localTracer, sign, type DrillOptions, type DrillResult } from './support.ts';

const PUBLIC = 'https://tracer.drill.example';

export async function run(o: DrillOptions): Promise<DrillResult> {
  const t = localTracer();
  const calls = o.trim ? 30 : 200;
  const post = (pathname: string, params: Record<string, string>) =>
    request(t.app.http).post(pathname).type('form').set('X-Twilio-Signature', sign(PUBLIC + pathname, params)).send(params);
  let wrong = 0;
  for (let i = 0; i < calls; i++) {
    const p = callParams('+966593300150', `+9665022${String(i).padStart(5, '0')}`);
    const statuses = ['ringing', 'in-progress', 'completed'].map((s) => ({ AccountSid: p.AccountSid!, CallSid: p.CallSid!, CallStatus: s, CallDuration: s === 'completed' ? '30' : '0' }));
    const sends = [() => post('/twilio/voice', p), () => post('/twilio/voice', p), () => post('/twilio/voice', p),
      ...statuses.flatMap((s) => [() => post('/twilio/status', s), () => post('/twilio/status', s)])];
    for (const j of sends.map((_, k) => k).sort(() => Math.random() - 0.5)) await sends[j]!();
    const hit = t.app.services.hits.findBySid(p.CallSid!);
    if (!hit || hit.callStatus !== 'completed' || hit.durationSeconds !== 30) wrong++;
  }
  const hits = t.app.services.db.prepare('SELECT count(*) FROM hits').pluck().get() as number;
  const events = t.app.services.db.prepare('SELECT count(*) FROM call_status_events').pluck().get() as number;
  const verify = t.app.services.evidenceService.verify();
  await t.dispose();
  return {
    ok: hits === calls && wrong === 0 && events === calls * 3 && verify.ok,
    figure: `${calls} calls × 3 replays + 6 shuffled status callbacks each → ${hits} hits, ${events} status events, ${wrong} with a wrong final status; evidence ${verify.ok ? 'verifies' : 'BROKEN'}`,
  };
}
