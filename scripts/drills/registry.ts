// The registry sweep: an investigator reads everything the route tables let them read — every GET
// of the API and of the dashboard, with real ids in the paths, both report languages, the case
// bundle unzipped, the verification — and nothing may name a canary no call has touched (its id,
// number, persona: names, national id, account, premise, meter, landline; planting ids, ticket
// reference) unless that read is itself a registry read the audit records (a case's report and
// bundle list the canaries of the case's channels, as the case needs). The same markers read as an admin from GET /api/v1/canaries must be found, so a
// sweep that sees nothing proves something. A route added later is swept at once.
import request from 'supertest';
import yauzl from 'yauzl';
import { apiRouter } from '../../src/api/router.ts';
import { can } from '../../src/access/tokens.ts';
import type { App } from '../../src/app.ts';
import { dashboardRouter } from '../../src/dashboard/index.ts';
import { callParams, localTracer, sign, type DrillOptions, type DrillResult } from './support.ts';
import { dashboardRoutes, dashboardSession, routeTable } from './role-matrix.ts';

/** A store in which an investigator has something to read: a called canary, uncalled ones, a party, a case. */
export async function registryStore(app: App, advanceMinutes: (m: number) => void) {
  const s = app.services;
  const a = s.channels.create({ name: 'Vendor A', kind: 'call-centre-vendor' });
  const b = s.channels.create({ name: 'CRM B', kind: 'crm' });
  const onA = await s.canaries.create({ channelIds: [a.id], count: 3 });
  const onB = await s.canaries.create({ channelIds: [b.id], count: 2 });
  advanceMinutes(5);
  const called = onA[0]!;
  const caller = '+966501112233';
  const p = callParams(called.phoneNumber, caller, { CallerName: 'AQUA FIX' });
  const res = await request(app.http).post('/twilio/voice').type('form').set('X-Twilio-Signature', sign('https://tracer.drill.example/twilio/voice', p)).send(p);
  if (res.status !== 200) throw new Error(`the sweep's call was not stored: ${res.status}`);
  const hitId = s.db.prepare('SELECT id FROM hits WHERE provider_sid = ?').pluck().get(p.CallSid) as string;
  const party = s.parties.create({ name: 'Aqua Fix', numbers: [caller] }, 'drill');
  const kase = s.cases.create({ title: 'Leak via Vendor A', channelIds: [a.id], hitIds: [hitId] }, { actor: 'drill', role: 'investigator' });
  const uncalled = [...onA.slice(1), ...onB];
  return { ids: { channels: a.id, hits: hitId, parties: party.id, cases: kase.id, canaries: called.id, numbers: called.numberId, campaigns: 'x_missing', outputs: 'x_missing' }, uncalled };
}

/** What would name an uncalled canary: every identifying value of at least 8 characters, as stored and as pages print it. */
export function markersOf(canaries: Array<Record<string, any>>): Map<string, string> {
  const out = new Map<string, string>();
  let canary = '';
  const add = (v: unknown) => {
    if (typeof v !== 'string' || v.length < 8) return;
    out.set(v, canary);
    // Dashboard pages may print digits as the reader's (Arabic-Indic by default).
    if (/\d/.test(v)) out.set(v.replace(/\d/g, (d) => String.fromCharCode(0x660 + Number(d))), canary);
  };
  for (const c of canaries) {
    canary = c.id;
    const p = c.persona ?? {};
    for (const v of [c.id, c.numberId, c.phoneNumber, p.fullName, p.fullNameLatin, p.nationalId, p.accountNumber, p.premiseId, p.meterSerial,
      p.phone?.national, p.landline?.e164, p.landline?.national]) add(v);
    for (const pl of c.plantings ?? []) for (const v of [pl.id, pl.variant?.reference, pl.variant?.fullNameLatin]) add(v);
  }
  return out;
}

const unzip = (buf: Buffer): Promise<string> => new Promise((resolve, reject) => {
  yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
    if (err || !zip) return reject(err);
    const parts: string[] = [];
    zip.on('entry', (e: yauzl.Entry) => zip.openReadStream(e, (e2, stream) => {
      if (e2 || !stream) return reject(e2);
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => { parts.push(`${e.fileName}\n${Buffer.concat(chunks).toString('utf8')}`); zip.readEntry(); });
    }));
    zip.on('end', () => resolve(parts.join('\n')));
    zip.readEntry();
  });
});

const binary = (res: request.Response) => (res.headers['content-type'] ?? '').includes('zip') || (res.headers['content-type'] ?? '').includes('pdf');
const parser = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Every read an investigator may make, as text (zip bundles unzipped; PDFs are the same report as its HTML, which is read). */
export async function investigatorReads(app: App, ids: Record<string, string>, token: string): Promise<Array<{ what: string; status: number; text: string; audited: Array<{ action: string; subject: string }> }>> {
  const fill = (path: string) => path.replace(/\/(\w+)\/:\w+/g, (_m, resource: string) => `/${resource}/${ids[resource] ?? 'x_missing'}`);
  const out: Array<{ what: string; status: number; text: string; audited: Array<{ action: string; subject: string }> }> = [];
  const last = app.services.db.prepare('SELECT coalesce(max(rowid), 0) FROM registry_reads').pluck();
  const since = app.services.db.prepare('SELECT action, subject FROM registry_reads WHERE rowid > ? ORDER BY rowid');
  let auditsBefore = last.get() as number;
  const take = async (what: string, res: request.Response) => {
    const body = res.body as Buffer;
    const text = Buffer.isBuffer(body) && (res.headers['content-type'] ?? '').includes('zip') ? await unzip(body)
      : Buffer.isBuffer(body) ? body.toString('utf8') : res.text ?? JSON.stringify(res.body);
    // Whether this read left a row in the registry audit (a case's report and bundle do: they are registry reads by design).
    out.push({ what, status: res.status, text, audited: since.all(auditsBefore) as Array<{ action: string; subject: string }> });
    auditsBefore = last.get() as number;
  };
  for (const r of routeTable(apiRouter(app.services))) {
    if (r.method !== 'GET' || r.permission === null || !can('investigator', r.permission)) continue;
    const url = fill(r.path);
    const variants = r.path === '/api/v1/report' ? ['', '?format=csv', '?format=jsonl'] : r.path.endsWith('/report') ? ['', '?lang=en', '?format=html']
      : r.path === '/api/v1/evidence' || r.path === '/api/v1/hits' ? ['', '?limit=1000'] : [''];
    for (const q of variants) {
      await take(`API GET ${url}${q}`, await request(app.http).get(url + q).set('Authorization', `Bearer ${token}`).buffer(true).parse(parser));
    }
  }
  await take('API POST /api/v1/evidence/verify', await request(app.http).post('/api/v1/evidence/verify').set('Authorization', `Bearer ${token}`).send({}).buffer(true).parse(parser));
  // The dashboard, signed in through its form as the investigator.
  const { cookie, csrf } = await dashboardSession(app, token);
  for (const r of dashboardRoutes(dashboardRouter(app.services))) {
    if (!r.signIn || (r.permission !== null && !can('investigator', r.permission))) continue;
    const url = fill(r.path);
    if (r.method === 'GET') {
      for (const q of (r.path === '/live/hits' ? ['?after=0'] : ['', '?lang=en', '?lang=ar'])) {
        const res = await request(app.http).get(url + q).set('Cookie', cookie).buffer(true).parse(parser);
        if (!binary(res)) await take(`dashboard GET ${url}${q}`, res);
        else auditsBefore = last.get() as number;
      }
    } else if (r.path === '/cases/:id/bundle') {
      await take(`dashboard POST ${url}`, await request(app.http).post(url).set('Cookie', cookie).type('form').send({ _csrf: csrf }).buffer(true).parse(parser));
    }
  }
  return out;
}

export async function run(_o: DrillOptions): Promise<DrillResult> {
  const t = localTracer();
  try {
    const { ids, uncalled } = await registryStore(t.app, t.advanceMinutes);
    const markers = markersOf(uncalled as unknown as Array<Record<string, any>>);
    const reads = await investigatorReads(t.app, ids, t.tokens.investigator);
    const failures: string[] = [];
    const audited: string[] = [];
    for (const r of reads) {
      if (r.status >= 500) failures.push(`${r.what}: ${r.status}`);
      // Excused only by an audit row of this read that names that canary, or that is the case's report or bundle.
      const owned = (canary: string) => r.audited.some((a) => a.action === 'case-report' || a.action === 'case-bundle' || a.subject.includes(canary));
      const found = [...markers].filter(([m]) => r.text.includes(m));
      const unaudited = found.filter(([, canary]) => !owned(canary));
      if (unaudited.length) failures.push(`${r.what}: names an uncalled canary (${unaudited.slice(0, 3).map(([m]) => m).join(', ')}) and no audit row of the read says so`);
      else if (found.length) audited.push(r.what);
    }
    const answered = reads.filter((r) => r.status === 200).length;
    if (answered < reads.length / 2) failures.push(`only ${answered} of ${reads.length} reads answered 200: the sweep read little`);
    // The control: the registry itself, as an admin reads it, holds every marker.
    const registry = await Promise.all(['/api/v1/canaries?limit=1000', '/api/v1/numbers?limit=1000'].map((u) =>
      request(t.app.http).get(u).set('Authorization', `Bearer ${t.tokens.admin}`)));
    const admin = registry.map((r) => r.text).join('\n');
    const missed = [...markers.keys()].filter((m) => !/[\u0660-\u0669]/.test(m) && !admin.includes(m));
    if (missed.length) failures.push(`control: the admin's registry read lacks ${missed.length} markers (${missed.slice(0, 3).join(', ')}): the sweep's markers are wrong`);
    return {
      ok: failures.length === 0,
      figure: `${reads.length} investigator reads (${answered} answered 200: every API and dashboard GET their role allows, both languages, the report as JSON, CSV and JSON lines, the case report as JSON and HTML, the case bundle unzipped, the verification) × ${markers.size} markers of ${uncalled.length} uncalled canaries: ${failures.length} leaks; ` +
        `${audited.length} reads name them as the case needs (its report and bundle), each audited; the admin's registry read holds every marker`,
      details: failures,
    };
  } finally {
    await t.dispose();
  }
}
