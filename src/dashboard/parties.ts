// The parties pages: the tracer's groupings of caller numbers, and an investigator's acts on them.
// Reads and acts go through the same services as /api/v1/parties (src/parties/service.ts), so every
// act is one transaction with its evidence-log entry; which canaries a party reached is the canary
// registry, shown only to roles that may read it and audited exactly as GET /api/v1/parties/:id does.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { normaliseDigits, normaliseText } from '../parties/normalise.ts';
import { partyPage } from '../parties/page.ts';
import { contactFigures, type ReportParty } from '../parties/report-view.ts';
import type { PartyRow } from '../parties/repository.ts';
import type { Report } from '../attribution/report.ts';
import type { Localised } from './i18n.ts';
import type { Render } from './pages.ts';
import { formError, listOf, may, pageCursor } from './acts.ts';
import * as q from './queries.ts';

const PAGE = 50;
const HITS_SHOWN = 50;
const opt = (s: z.ZodString) => s.optional().transform((v) => (v === '' ? undefined : v));
const listQuery = z.object({
  status: opt(z.string().max(20)).pipe(z.enum(['proposed', 'accepted']).optional()),
  q: opt(z.string().max(200)), channelId: opt(z.string().max(100)), cursor: opt(z.string().max(300)),
});
const detailQuery = z.object({ before: z.coerce.number().int().positive().optional() });

/** The API's actor for party acts ("role:principal"), so an act reads the same whichever way it came. */
const actorOf = (req: Request) => `${req.session!.role}:${req.session!.tokenId}`;

/** The report's entries for a party: its own id (accepted) and any of its numbers (decoded as a caller on their own). */
const keysOf = (p: { id: string; numbers: string[] }) => new Set([p.id, ...p.numbers]);

function implicated(p: PartyRow, reportParties: ReportParty[], names: Map<string, string>) {
  const keys = keysOf(p);
  const byChannel = new Map<string, { channelId: string; name: string; probability: number | null; access: string }>();
  for (const rp of reportParties) {
    if (!keys.has(rp.partyId)) continue;
    for (const c of rp.channels) {
      const seen = byChannel.get(c.channelId);
      if (!seen || (seen.probability === null && c.probability !== null)) {
        byChannel.set(c.channelId, { channelId: c.channelId, name: names.get(c.channelId) ?? c.channelId, probability: c.probability, access: c.access });
      }
    }
  }
  return [...byChannel.values()];
}

export function partyPages(s: Services, render: Render, L: (req: Request) => Localised) {
  const report = () => s.reportOffThread({ limit: 1000 });
  const channelNames = () => new Map(s.channels.list().map((c) => [c.id, c.name]));

  async function list(req: Request, res: Response, error?: string, proposed?: number) {
    const f = listQuery.parse(req.query);
    const r = await report();
    const names = channelNames();
    // Names match as the proposals group them (Arabic letter variants, diacritics, case); numbers by their digits.
    const needle = f.q ? normaliseText(f.q) : undefined;
    const digits = f.q ? normaliseDigits(f.q).replace(/[^\d]/g, '') : '';
    let rows = s.parties.list()
      .filter((p) => !f.status || p.status === f.status)
      .filter((p) => !f.q || (needle !== '' && normaliseText(p.name).includes(needle!)) || (digits !== '' && p.numbers.some((n) => n.includes(digits))))
      .map((p) => ({ ...p, channels: implicated(p, r.parties ?? [], names) }))
      .filter((p) => !f.channelId || p.channels.some((c) => c.channelId === f.channelId))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    const cursor = pageCursor('parties');
    const after = f.cursor ? cursor.decode(f.cursor) : null;
    if (after) rows = rows.filter((p) => p.createdAt < after.at || (p.createdAt === after.at && p.id < after.id));
    const shown = rows.slice(0, PAGE).map((p) => ({ ...p, ...contactFigures(s.db, p.numbers) }));
    const next = new URLSearchParams(Object.entries(f).filter(([k, v]) => typeof v === 'string' && v && k !== 'cursor') as Array<[string, string]>);
    if (rows.length > PAGE) next.set('cursor', cursor.encode(shown[shown.length - 1]!.createdAt, shown[shown.length - 1]!.id));
    render(req, res, 'parties.njk', {
      f, parties: shown, channels: s.channels.list(), nextUrl: rows.length > PAGE ? `/parties?${next}` : null,
      canWrite: may(req, 'parties:write'), error, proposed, here: error ? '/parties' : undefined,
    });
  }

  async function detail(req: Request, res: Response, error?: string) {
    const l = L(req);
    const { before } = detailQuery.parse(req.query);
    const party = s.parties.get(String(req.params.id));
    const r: Report = await report();
    const who = req.session!;
    const registry = may(req, 'canaries:read');
    const page = partyPage(s.db, party, r.parties ?? [], registry);
    if (registry) s.audit.record(who.tokenId, who.role, 'party-canaries', party.id);
    const keys = keysOf(party);
    const names = channelNames();
    const channels = page.channels.map((c) => {
      const v = r.channels.find((ch) => ch.channelId === c.channelId);
      const own = v?.parties?.find((p) => keys.has(p.partyId));
      // Words for the channel's decoded party only: the channel's `access` is its (other parties carry the class).
      const decoded = !!own && !!v?.party && keys.has(v.party.number);
      return { ...c, name: names.get(c.channelId) ?? c.channelId, verdict: v?.verdict, channelProbability: v?.probability, words: decoded ? v?.access?.words ?? null : null };
    });
    const hits = q.hitsFromNumbers(s.db, party.numbers, { before, limit: HITS_SHOWN });
    render(req, res, 'party.njk', {
      party: page, channels, hits: hits.hits,
      olderUrl: hits.nextBefore ? `/parties/${encodeURIComponent(party.id)}?before=${hits.nextBefore}#calls` : null,
      hoursChart: { labels: page.activeHours.map((_, h) => l.hour(h)), values: page.activeHours, table: page.activeHours.map((n) => l.num(n)) },
      daysChart: { labels: page.activeDays.map((_, d) => l.weekday(d)), values: page.activeDays, table: page.activeDays.map((n) => l.num(n)) },
      acts: s.evidence.list({ subject: party.id, limit: 500 }),
      others: may(req, 'parties:write') ? s.parties.list().filter((p) => p.id !== party.id) : [],
      canWrite: may(req, 'parties:write'), error, here: error ? back(party.id) : undefined,
    });
  }

  /** An act from a form: the service does it (and logs it); a refusal is shown on the party's page. */
  const act = (run: (req: Request, id: string) => string) => async (req: Request, res: Response) => {
    const id = String(req.params.id);
    s.parties.get(id); // 404 for a party that is not there, before any act
    let to: string;
    try {
      to = run(req, id);
    } catch (err) {
      const message = formError(err);
      if (!message) throw err;
      res.status(400);
      return detail(req, res, message);
    }
    res.redirect(303, to);
  };
  const back = (id: string) => `/parties/${encodeURIComponent(id)}`;
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

  return {
    list: (req: Request, res: Response) => list(req, res, undefined, z.coerce.number().int().min(0).optional().parse(req.query.proposed)),

    party: (req: Request, res: Response) => detail(req, res),

    /** An investigator's own grouping (accepted from the start); numbers one per line or separated by commas or spaces. */
    async create(req: Request, res: Response) {
      let made: PartyRow;
      try {
        made = s.parties.create({ name: body(req).name, numbers: String(body(req).numbers ?? '').split(/[\s,،]+/).filter(Boolean) }, actorOf(req));
      } catch (err) {
        const message = formError(err);
        if (!message) throw err;
        res.status(400);
        return list(req, res, message);
      }
      res.redirect(303, back(made.id));
    },

    /** Runs the proposal rules now (as POST /api/v1/parties/propose), and says how many it proposed. */
    propose(req: Request, res: Response) {
      const made = s.parties.propose(`tracer (asked by ${actorOf(req)})`);
      res.redirect(303, `/parties?status=proposed&proposed=${made.length}`);
    },

    accept: act((req, id) => (s.parties.accept(id, actorOf(req)), back(id))),
    rename: act((req, id) => (s.parties.rename(id, { name: body(req).name }, actorOf(req)), back(id))),
    note: act((req, id) => (s.parties.note(id, { text: body(req).text }, actorOf(req)), back(id))),
    merge: act((req, id) => (s.parties.merge(id, { from: listOf(body(req).from) }, actorOf(req)), back(id))),
    split: act((req, id) => {
      const { split } = s.parties.split(id, { numbers: listOf(body(req).numbers), name: body(req).name }, actorOf(req));
      return back(split.id);
    }),
  };
}
