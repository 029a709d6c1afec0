import request from 'supertest';
import type { App } from '../../src/app.ts';

/** Cookies as a browser would keep them: name → value, from Set-Cookie headers. */
export class Jar {
  readonly cookies = new Map<string, string>();
  take(res: request.Response): void {
    const set = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const c of set ?? []) {
      const [pair] = c.split(';');
      const [name, ...v] = pair!.split('=');
      const value = v.join('=');
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name!);
      else this.cookies.set(name!, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';

export async function get(app: App, jar: Jar, url: string) {
  const res = await request(app.http).get(url).set('Cookie', jar.header());
  jar.take(res);
  return res;
}

export async function post(app: App, jar: Jar, url: string, form: Record<string, string>) {
  const res = await request(app.http).post(url).set('Cookie', jar.header()).type('form').send(form);
  jar.take(res);
  return res;
}

/** Signs in through the form, as a person would; returns the jar holding the session. */
export async function signIn(app: App, fields: Record<string, string>): Promise<Jar> {
  const jar = new Jar();
  const page = await get(app, jar, '/login');
  const res = await post(app, jar, '/login', { _csrf: csrfOf(page.text), ...fields });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${res.text.slice(0, 300)}`);
  return jar;
}

// Written by the people we trace: each must render as inert text.
export const HOSTILE = {
  callerName: '<script>alert("name")</script><img src=x onerror=alert(1)>\u202Egnp.exe',
  body: '<a href="javascript:alert(2)">win</a><style>body{display:none}</style><svg onload=alert(3)></svg>'
    + '<iframe src="https://evil.example/x"></iframe><link rel=stylesheet href="https://evil.example/c.css">'
    + '\u2067<b style="background:url(https://evil.example/i)">بلاغ</b>\u2069' + 'A'.repeat(5000),
  rawExtra: {
    Evil: '"><script>alert(4)</script>',
    'x" onmouseover="alert(5)': '{{7*7}} ${alert(6)} <img src="https://evil.example/p.png">',
    Long: 'Z'.repeat(20000),
  },
} as const;

/**
 * A tracer with parties and a case to look at: two channels, a firm ringing channel A's canaries
 * from two numbers under a hostile caller name (grouped by hand, under a hostile name, accepted),
 * two more callers sharing a name (the tracer proposes them as one party), and a case with a
 * hostile note. Times: the test clock, 2026-11-28 from 09:00 UTC.
 */
export async function seedPartiesAndCase(app: import('../support/app.ts').TestApp, hook: (p: string, params: Record<string, string>) => Promise<unknown>) {
  const { createChannel, plant, callParams, smsParams } = await import('../support/app.ts');
  const a = await createChannel(app, { name: 'مورّد مركز الاتصال (ليلي)', kind: 'call-centre-vendor', dimensions: { system: 'CRM', shift: 'nights' } });
  const b = await createChannel(app, { name: 'Contractor B export', kind: 'contractor-export' });
  const canaries = await plant(app, [a.id], 3);
  await plant(app, [b.id], 2);
  const firm = ['+966112345678', '+966112345679'];
  const others = ['+966500000101', '+966500000102'];
  for (const [i, c] of canaries.entries()) {
    app.clock.advanceMinutes(9 + i * 20);
    await hook('/twilio/voice', callParams(c.phoneNumber, firm[i % 2]!, { CallerName: HOSTILE.callerName }));
  }
  await hook('/twilio/sms', smsParams(canaries[1]!.phoneNumber, firm[0]!, HOSTILE.body));
  for (const n of others) await hook('/twilio/voice', callParams(canaries[2]!.phoneNumber, n, { CallerName: 'Leak Finders Co' }));
  app.clock.advanceMinutes(2 * 24 * 60);
  const s = app.services;
  const firmParty = s.parties.create({ name: HOSTILE.callerName, numbers: firm }, 'admin:seed');
  const proposed = s.parties.propose('tracer');
  const hits = s.db.prepare('SELECT id FROM hits ORDER BY received_at, id').pluck().all() as string[];
  const who = { actor: 'seed', role: 'investigator' };
  const kase = s.cases.create({ title: '<script>alert("title")</script> تسريب', description: 'Leak of complaint tickets.\nSecond line.', assignee: 'Noura', channelIds: [a.id], hitIds: [hits[0]!] }, who);
  s.cases.addNote(kase.id, { text: HOSTILE.body }, who);
  return { channelA: a.id, channelB: b.id, firm, firmParty: firmParty.id, proposed: proposed.map((p) => p.id), hits, caseId: kase.id };
}
