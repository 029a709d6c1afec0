// The investigator's console: server-rendered pages on the API's express app. Mounted with one line
// in src/app.ts. Reading works without JavaScript; htmx (polling for new hits) and Chart.js are
// progressive, served from node_modules, and the Content-Security-Policy allows no inline script.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { can, type Permission } from '../access/tokens.ts';
import { AppError } from '../errors.ts';
import { timeZones, type Lang } from './i18n.ts';
import { cookieNames, localised, loadSession, loginCsrf, preferences, requireCsrf, requireSignIn, safeNext, securityHeaders } from './http.ts';
import { pages, type Render } from './pages.ts';
import { partyPages } from './parties.ts';
import { casePages } from './cases.ts';
import { DashboardSessions } from './sessions.ts';
import { createViews } from './views.ts';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ASSETS: Record<string, string> = {
  // Chart.js exports only its modules; its UMD build sits beside the CommonJS entry in dist/.
  'htmx.min.js': path.join(path.dirname(require.resolve('htmx.org')), 'htmx.min.js'),
  'chart.umd.min.js': path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
  'app.js': path.join(HERE, 'assets', 'app.js'),
  'app.css': path.join(HERE, 'assets', 'app.css'),
};

/** The menu: a page is listed only for roles that may open it (the same permission guards the route). */
const MENU: Array<{ key: string; href: string; permission?: Permission }> = [
  { key: 'overview', href: '/' },
  { key: 'channels', href: '/channels', permission: 'channels:read' },
  { key: 'hits', href: '/hits', permission: 'hits:read' },
  { key: 'parties', href: '/parties', permission: 'parties:read' },
  { key: 'campaigns', href: '/campaigns', permission: 'canaries:read' },
  { key: 'numbers', href: '/numbers', permission: 'numbers:read' },
  { key: 'evidence', href: '/evidence', permission: 'evidence:read' },
  // Cases are worked by whoever holds the evidence:read grant, as in /api/v1/cases.
  { key: 'cases', href: '/cases', permission: 'evidence:read' },
  { key: 'access', href: '/access', permission: 'tokens:manage' },
];
const guard = (href: string) => requireSignIn(MENU.find((m) => m.href === href)!.permission);

const loginBody = z.object({ _csrf: z.string().max(200).optional(), token: z.string().max(500).optional(), username: z.string().max(100).optional(), password: z.string().max(200).optional(), next: z.string().max(2000).optional() });

export interface DashboardOptions {
  /** How long a session lasts after sign-in. */
  sessionMinutes?: number;
}

export function dashboardRouter(s: Services, o: DashboardOptions = {}): express.Router {
  const r = express.Router();
  const names = cookieNames(s.config.publicBaseUrl);
  const sessionMinutes = o.sessionMinutes ?? 8 * 60;
  const sessions = new DashboardSessions(s.db, s.tokens, s.clock, sessionMinutes);
  const views = createViews();
  const login = loginCsrf(names);
  const defaultLang: Lang = s.config.defaultLocale.startsWith('ar') ? 'ar' : 'en';
  const form = express.urlencoded({ extended: false, limit: '20kb' });
  // Notes and case descriptions may be long, and Arabic text is six bytes a letter once form-encoded.
  const textForm = express.urlencoded({ extended: false, limit: '400kb' });

  const render: Render = (req, res, view, ctx) => {
    const who = req.session;
    // A form refused is shown at its POST address; the language and time-zone switches lead to the page it came from.
    const here = typeof ctx.here === 'string' ? ctx.here : req.originalUrl;
    const switchTo = (k: string, v: string) => {
      const u = new URL(here, 'http://x');
      u.searchParams.delete('tz');
      u.searchParams.set(k, v);
      return `${u.pathname}${u.search}`;
    };
    const L = localised(req);
    res.type('html').send(views.render(view, {
      ...ctx, L, path: new URL(here, 'http://x').pathname, csrf: ctx.csrf ?? who?.csrf ?? '', zones: view.startsWith('partials/') ? [] : timeZones(),
      user: who ? { role: who.role, label: who.label } : null,
      menu: who ? MENU.filter((m) => !m.permission || can(who.role, m.permission)).map((m) => ({ ...m, current: m.href === new URL(here, 'http://x').pathname })) : [],
      links: { lang: switchTo('lang', L.lang === 'ar' ? 'en' : 'ar'), digits: switchTo('digits', L.digits === 'arab' ? 'latn' : 'arab') },
    }));
  };
  const P = pages(s, render, localised);
  // Mounted after /api/v1, so only what the API did not answer reaches here; all of it gets the page headers.
  r.use(securityHeaders, preferences(defaultLang, names.secure), loadSession(sessions, names));

  r.get('/favicon.ico', (_req, res) => void res.status(204).end());
  r.get('/assets/:file', (req, res, next) => {
    const file = ASSETS[String(req.params.file)];
    if (!file) return next();
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=3600' }).sendFile(file);
  });

  r.get('/login', (req, res) => {
    if (req.session) return void res.redirect(303, safeNext(req.query.next));
    render(req, res, 'login.njk', { csrf: login.issue(res), next: safeNext(req.query.next), passwords: sessions.hasUsers(), message: messageOf(req.query.m) });
  });
  r.post('/login', form, async (req, res) => {
    const b = loginBody.parse(req.body ?? {});
    if (!login.check(req)) throw new AppError('csrf-mismatch', 'the sign-in form is stale; reload it and try again', 403);
    try {
      const opened = b.token ? await sessions.signInWithToken(b.token.trim())
        : await sessions.signInWithPassword(b.username ?? '', b.password ?? '');
      s.log.info({ principal: opened.session.tokenId, role: opened.session.role }, 'dashboard sign-in');
      res.cookie(names.session, opened.id, { httpOnly: true, sameSite: 'strict', secure: names.secure, path: '/', maxAge: sessionMinutes * 60_000 });
      res.clearCookie(names.loginCsrf, { path: '/', secure: names.secure, httpOnly: true, sameSite: 'strict' });
      res.redirect(303, safeNext(b.next));
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 401) throw err;
      res.status(401);
      render(req, res, 'login.njk', { csrf: login.issue(res), next: safeNext(b.next), passwords: sessions.hasUsers(), message: 'badSignIn' });
    }
  });
  r.post('/logout', form, requireSignIn(), requireCsrf, (req, res) => {
    sessions.end(req.cookies![names.session]!);
    s.log.info({ principal: req.session!.tokenId }, 'dashboard sign-out');
    res.clearCookie(names.session, { path: '/', secure: names.secure, httpOnly: true, sameSite: 'strict' });
    res.redirect(303, '/login?m=signed-out');
  });

  r.get('/', requireSignIn(), P.overview);
  r.get('/channels', guard('/channels'), P.channels);
  r.get('/channels/:id', guard('/channels'), P.channel);
  r.get('/hits', guard('/hits'), P.hits);
  r.get('/hits/:id', guard('/hits'), P.hit);
  r.get('/live/hits', guard('/hits'), P.live);
  r.get('/campaigns', guard('/campaigns'), P.campaigns);
  r.get('/numbers', guard('/numbers'), P.numbers);
  r.get('/evidence', guard('/evidence'), P.evidence);

  // Parties and cases: each form is CSRF-checked and goes through the area's own service.
  const Pa = partyPages(s, render, localised);
  const partyWrite = requireSignIn('parties:write');
  r.get('/parties', guard('/parties'), Pa.list);
  r.post('/parties', form, partyWrite, requireCsrf, Pa.create);
  r.post('/parties/propose', form, partyWrite, requireCsrf, Pa.propose);
  r.get('/parties/:id', guard('/parties'), Pa.party);
  r.post('/parties/:id/accept', form, partyWrite, requireCsrf, Pa.accept);
  r.post('/parties/:id/rename', form, partyWrite, requireCsrf, Pa.rename);
  r.post('/parties/:id/notes', textForm, partyWrite, requireCsrf, Pa.note);
  r.post('/parties/:id/merge', form, partyWrite, requireCsrf, Pa.merge);
  r.post('/parties/:id/split', form, partyWrite, requireCsrf, Pa.split);
  const C = casePages(s, render);
  const caseWork = guard('/cases');
  r.get('/cases', caseWork, C.list);
  r.post('/cases', textForm, caseWork, requireCsrf, C.create);
  r.get('/cases/:id', caseWork, C.detail);
  r.get('/cases/:id/report', caseWork, C.report);
  r.post('/cases/:id/notes', textForm, caseWork, requireCsrf, C.note);
  r.post('/cases/:id/status', form, caseWork, requireCsrf, C.status);
  r.post('/cases/:id/assignee', form, caseWork, requireCsrf, C.assignee);
  r.post('/cases/:id/links', form, caseWork, requireCsrf, C.link);
  r.post('/cases/:id/bundle', form, caseWork, requireCsrf, C.bundle);

  const access = (req: Request, res: Response, error?: string) =>
    render(req, res, 'access.njk', { users: sessions.users(), error, here: error ? '/access' : undefined });
  r.get('/access', guard('/access'), (req, res) => access(req, res));
  r.post('/access/users', form, guard('/access'), requireCsrf, async (req, res) => {
    const { _csrf: _, ...input } = req.body ?? {};
    try {
      await sessions.addUser(input, req.session!.tokenId);
    } catch (err) {
      if (err instanceof z.ZodError) return void access(req, res.status(400), err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      if (err instanceof AppError && err.status === 409) return void access(req, res.status(409), err.message);
      throw err;
    }
    res.redirect(303, '/access');
  });
  r.post('/access/users/:id/disable', form, guard('/access'), requireCsrf, (req, res) => {
    sessions.disableUser(String(req.params.id));
    res.redirect(303, '/access');
  });

  r.use(pageErrors(render, s));
  return r;
}

const messageOf = (m: unknown) => (m === 'signed-out' ? 'sessionEnded' : undefined);

/** Errors on a page are pages too (in the reader's language); never a stack trace. */
function pageErrors(render: Render, s: Services): ErrorRequestHandler {
  return (err, req, res, _next) => {
    // A form over its size limit is the sender's to fix (body-parser says so with type and status).
    const tooLarge = err?.type === 'entity.too.large';
    const status = err instanceof AppError ? err.status : err instanceof z.ZodError ? 400 : tooLarge ? 413 : 500;
    if (status >= 500) s.log.error({ err }, 'dashboard page failed');
    const code = err instanceof AppError ? err.code : err instanceof z.ZodError ? 'invalid-request' : tooLarge ? 'too-large' : 'internal';
    const message = status >= 500 ? 'internal error' : err instanceof z.ZodError ? 'the request is not valid' : tooLarge ? 'the form is larger than this page accepts' : err.message;
    res.status(status);
    if (req.header('hx-request')) return void res.end();
    render(req, res, 'error.njk', { status, code, message, heading: status === 403 ? 'forbidden' : status === 404 ? 'notFound' : 'errorTitle' });
  };
}
