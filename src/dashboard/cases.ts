// The cases pages: an investigator's cases, their links, notes and timeline, the case report and the
// bundle. Every act goes through src/cases (the same service as /api/v1/cases), which writes its
// evidence-log entry in the same transaction and audits what reveals canaries. Producing a report or
// a bundle is an act too (CaseReports.produce / exportBundle record it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import type { Actor } from '../cases/index.ts';
import { CASE_STATUSES, LINK_KINDS, type CaseLink } from '../cases/repository.ts';
import type { Render } from './pages.ts';
import { formError, listOf } from './acts.ts';
import * as q from './queries.ts';

const PAGE = 50;
const HITS_SHOWN = 200;
const listQuery = z.object({ cursor: z.string().max(300).optional().transform((v) => (v === '' ? undefined : v)) });
const reportQuery = z.object({ format: z.enum(['html', 'pdf']).default('html'), lang: z.enum(['ar', 'en']).default('en') });
const bundleForm = z.object({ lang: z.enum(['ar', 'en']).default('en') });
const linkForm = z.object({ kind: z.enum(LINK_KINDS), ref: z.string().trim().min(1, 'choose what to link').max(100) });
const statusForm = z.object({ status: z.enum(CASE_STATUSES) });
const LINK_FIELD = { channel: 'channelIds', party: 'partyIds', campaign: 'campaignIds', hit: 'hitIds' } as const;
// The report carries its own <style> and inline SVG chart and no script; the page headers' CSP
// (styles only from /assets) would leave it unstyled, so it gets the same policy its <meta> states.
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The API's actor for case acts (label [principal]), so an act reads the same whichever way it came. */
const actorOf = (req: Request): Actor => {
  const who = req.session!;
  return { actor: who.label ? `${who.label} [${who.tokenId}]` : who.tokenId, role: who.role };
};

export function casePages(s: Services, render: Render) {
  const back = (id: string) => `/cases/${encodeURIComponent(id)}`;
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
  const blank = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

  async function list(req: Request, res: Response, error?: string) {
    const { cursor } = listQuery.parse(req.query);
    // The cases service pages with its own cursor; a bad one is its 400 invalid-cursor.
    const page = s.cases.list({ limit: PAGE, cursor });
    const cases = page.cases.map((c) => {
      const links = s.cases.repo.links(c.id);
      const count = (k: CaseLink['kind']) => links.filter((l) => l.kind === k).length;
      return { ...c, channels: count('channel'), parties: count('party'), campaigns: count('campaign'), hits: count('hit') };
    });
    render(req, res, 'cases.njk', { cases, error, here: error ? '/cases' : undefined, nextUrl: page.nextCursor ? `/cases?cursor=${encodeURIComponent(page.nextCursor)}` : null });
  }

  async function detail(req: Request, res: Response, error?: string) {
    const c = s.cases.detail(String(req.params.id));
    const r = await s.reportOffThread({ limit: 1000 });
    const verdicts = new Map(r.channels.map((v) => [v.channelId, v]));
    const channelNames = new Map(s.channels.list().map((ch) => [ch.id, ch.name]));
    const campaignNames = new Map(r.campaigns.map((k) => [k.id, k.name]));
    const of = (kind: CaseLink['kind']) => c.links.filter((l) => l.kind === kind);
    // Not `links`: the layout's language and digit switches go by that name.
    const caseLinks = {
      channels: of('channel').map((l) => ({ ...l, name: channelNames.get(l.ref) ?? l.ref, verdict: verdicts.get(l.ref)?.verdict, probability: verdicts.get(l.ref)?.probability })),
      parties: of('party').map((l) => ({ ...l, party: s.parties.repo.find(l.ref) ?? null })),
      campaigns: of('campaign').map((l) => ({ ...l, name: campaignNames.get(l.ref) ?? l.ref })),
      hits: of('hit').slice(0, HITS_SHOWN).map((l) => ({ ...l, hit: q.findHit(s.db, l.ref) })).filter((l) => l.hit).map((l) => l.hit!),
    };
    render(req, res, 'case.njk', {
      c, caseLinks, error, here: error ? back(c.id) : undefined,
      timeline: s.evidence.list({ subject: c.id, limit: 1000 }),
      options: { channels: s.channels.list(), parties: s.parties.list(), campaigns: r.campaigns },
    });
  }

  /** An act from a form: the service does it (and logs it); a refusal is shown on the page it came from. */
  const act = (run: (req: Request) => string, reshow: (req: Request, res: Response, error: string) => Promise<void>) =>
    async (req: Request, res: Response) => {
      if (req.params.id) s.cases.mustGet(String(req.params.id)); // 404 before any act
      let to: string;
      try {
        to = run(req);
      } catch (err) {
        const message = formError(err);
        if (!message) throw err;
        res.status(400);
        return reshow(req, res, message);
      }
      res.redirect(303, to);
    };
  const id = (req: Request) => String(req.params.id);

  return {
    list: (req: Request, res: Response) => list(req, res),
    detail: (req: Request, res: Response) => detail(req, res),

    create: act((req) => {
      const b = body(req);
      const made = s.cases.create({ title: b.title as string, description: blank(b.description), assignee: blank(b.assignee) }, actorOf(req));
      return back(made.id);
    }, list),
    note: act((req) => (s.cases.addNote(id(req), { text: body(req).text as string }, actorOf(req)), back(id(req))), detail),
    status: act((req) => (s.cases.update(id(req), statusForm.parse({ status: body(req).status }), actorOf(req)), back(id(req))), detail),
    /** An empty field unassigns the case. */
    assignee: act((req) => (s.cases.update(id(req), { assignee: blank(body(req).assignee) ?? null }, actorOf(req)), back(id(req))), detail),
    link: act((req) => {
      const { kind, ref } = linkForm.parse({ kind: body(req).kind, ref: listOf(body(req).ref)[0] ?? '' });
      s.cases.link(id(req), { [LINK_FIELD[kind]]: [ref] }, actorOf(req));
      return back(id(req));
    }, detail),

    /** GET, like the API's: a link the reader follows. The session cookie is SameSite=Strict, so no other site can make one. */
    async report(req: Request, res: Response) {
      const o = reportQuery.parse(req.query);
      const out = await s.caseReports.produce(id(req), o, actorOf(req));
      if (o.format === 'pdf') return void res.type('application/pdf').attachment(`case-${id(req)}-${o.lang}.pdf`).send(out);
      res.set('Content-Security-Policy', REPORT_CSP).type('html').send(out);
    },

    async bundle(req: Request, res: Response) {
      const o = bundleForm.parse({ lang: body(req).lang });
      s.cases.mustGet(id(req));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracer-bundle-'));
      const file = path.join(dir, `case-${id(req)}.zip`);
      try {
        const made = await s.exportBundle(id(req), file, actorOf(req), { lang: o.lang, fullLog: false, bom: false });
        res.attachment(path.basename(file)).type('application/zip');
        res.set('X-Bundle-Manifest-Sha256', made.manifestSha256);
        await new Promise<void>((resolve, reject) => res.sendFile(file, (err) => (err ? reject(err) : resolve())));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
