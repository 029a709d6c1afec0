// Every role (and no token) against every route, read from the route tables themselves — the API's
// and the dashboard's: a route added later is in the matrix at once, and a route with no permission
// guard (API) or no sign-in guard outside the few public pages (dashboard) is itself a finding.
import type express from 'express';
import request from 'supertest';
import { apiRouter } from '../../src/api/router.ts';
import { can, ROLES, type Permission, type Role } from '../../src/access/tokens.ts';
import type { App } from '../../src/app.ts';
import { dashboardRouter } from '../../src/dashboard/index.ts';
import { localTracer, type DrillOptions, type DrillResult } from './support.ts';

interface Route {
  method: string;
  path: string;
  permission: Permission | null;
}

type Layer = { route?: { path: string | string[]; methods: Record<string, boolean>; stack: Array<{ handle: { permission?: Permission; signIn?: boolean } }> }; handle: { stack?: Layer[] } };

/** Walks an express router, nested routers included. */
export function routeTable(router: express.Router): Route[] {
  const out: Route[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const permission = layer.route.stack.map((s) => s.handle.permission).find((p) => p !== undefined) ?? null;
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) for (const m of Object.keys(layer.route.methods)) out.push({ method: m.toUpperCase(), path: `/api/v1${p}`, permission });
      } else if (layer.handle.stack) walk(layer.handle.stack);
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack);
  return out;
}

/** The dashboard's routes, each with the permission its sign-in guard asks (null: any signed-in role) and whether it has one. */
export function dashboardRoutes(router: express.Router): Array<Route & { signIn: boolean }> {
  const out: Array<Route & { signIn: boolean }> = [];
  for (const layer of (router as unknown as { stack: Layer[] }).stack) {
    if (!layer.route) continue;
    const guard = layer.route.stack.map((s) => s.handle).find((h) => h.signIn === true);
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const p of paths) {
      for (const m of Object.keys(layer.route.methods)) out.push({ method: m.toUpperCase(), path: p, permission: guard?.permission ?? null, signIn: guard !== undefined });
    }
  }
  return out;
}

/** The dashboard's pages that answer without a session: signing in, and what the sign-in page loads. */
export const PUBLIC_PAGES = ['GET /favicon.ico', 'GET /assets/:file', 'GET /login', 'POST /login'];

/** A signed-in dashboard session for a role: its cookies and its CSRF token, as a browser holds them. */
export async function dashboardSession(app: App, token: string): Promise<{ cookie: string; csrf: string }> {
  const jar = new Map<string, string>();
  const keep = (res: request.Response) => {
    for (const c of (res.headers['set-cookie'] as unknown as string[] | undefined) ?? []) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      jar.set(k!, v.join('='));
    }
    return res;
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrfOf = (html: string) => /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';
  const login = keep(await request(app.http).get('/login'));
  const signed = keep(await request(app.http).post('/login').set('Cookie', cookie()).type('form').send({ _csrf: csrfOf(login.text), token }));
  if (signed.status !== 303) throw new Error(`sign-in failed: ${signed.status}`);
  const home = keep(await request(app.http).get('/').set('Cookie', cookie()));
  return { cookie: cookie(), csrf: csrfOf(home.text) };
}

async function dashboardMatrix(app: App, tokens: Record<Role, string>, violations: string[]): Promise<{ routes: number; requests: number }> {
  const routes = dashboardRoutes(dashboardRouter(app.services));
  const sessions = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await dashboardSession(app, tokens[r])] as const))) as Record<Role, { cookie: string; csrf: string }>;
  let requests = 0;
  for (const r of routes) {
    const name = `${r.method} ${r.path}`;
    const isPublic = PUBLIC_PAGES.includes(name);
    if (!r.signIn && !isPublic) violations.push(`dashboard ${name}: no sign-in guard`);
    if (isPublic || name === 'POST /logout') continue; // signing out is tried last, once per role
    const url = r.path.replace(/:[a-zA-Z]+/g, 'x_missing');
    for (const who of [null, ...ROLES] as const) {
      let req = request(app.http)[r.method.toLowerCase() as 'get'](url);
      if (who) req = req.set('Cookie', sessions[who].cookie);
      const res = await (r.method === 'GET' ? req : req.type('form').send({ _csrf: who ? sessions[who].csrf : '' }));
      requests++;
      const allowed = who !== null && (r.permission === null || can(who, r.permission));
      const refused = res.status === 401 || res.status === 403 || (res.status === 303 && String(res.headers.location).startsWith('/login'));
      if (who === null && !refused) violations.push(`dashboard ${name} without a session: ${res.status}`);
      else if (who && allowed && refused) violations.push(`dashboard ${name} as ${who}: refused (${res.status}) but allowed`);
      else if (who && !allowed && res.status !== 403) violations.push(`dashboard ${name} as ${who}: ${res.status}, should be 403`);
      if (res.status >= 500) violations.push(`dashboard ${name} as ${who ?? 'nobody'}: ${res.status}`);
    }
  }
  // Signing out: refused without the session's CSRF token, done with it, and the session is then gone.
  for (const who of ROLES) {
    const s = sessions[who];
    const forged = await request(app.http).post('/logout').set('Cookie', s.cookie).type('form').send({ _csrf: 'x' });
    const out = await request(app.http).post('/logout').set('Cookie', s.cookie).type('form').send({ _csrf: s.csrf });
    const after = await request(app.http).get('/').set('Cookie', s.cookie);
    requests += 3;
    if (forged.status !== 403) violations.push(`dashboard POST /logout as ${who} with a forged CSRF token: ${forged.status}, should be 403`);
    if (out.status !== 303 || after.status !== 303) violations.push(`dashboard POST /logout as ${who}: ${out.status}, then / answered ${after.status} (the session should be gone)`);
  }
  return { routes: routes.length, requests };
}

export async function run(_o: DrillOptions): Promise<DrillResult> {
  const t = localTracer();
  const routes = routeTable(apiRouter(t.app.services));
  const violations: string[] = [];
  let requests = 0;
  for (const r of routes) {
    if (r.permission === null) violations.push(`${r.method} ${r.path}: no permission guard`);
    const url = r.path.replace(/:[a-zA-Z]+/g, 'x_missing');
    for (const who of [null, ...ROLES] as const) {
      const req = request(t.app.http)[r.method.toLowerCase() as 'get'](url);
      if (who) req.set('Authorization', `Bearer ${t.tokens[who]}`);
      const res = await (r.method === 'GET' ? req : req.send({}));
      requests++;
      const allowed = who !== null && r.permission !== null && can(who, r.permission);
      const refused = res.status === 401 || res.status === 403;
      if (who === null && res.status !== 401) violations.push(`${r.method} ${r.path} without a token: ${res.status}`);
      else if (who && allowed && refused) violations.push(`${r.method} ${r.path} as ${who}: refused (${res.status}) but allowed`);
      else if (who && !allowed && res.status !== 403) violations.push(`${r.method} ${r.path} as ${who}: ${res.status}, should be 403`);
      if (res.status >= 500) violations.push(`${r.method} ${r.path} as ${who ?? 'nobody'}: ${res.status}`);
    }
  }
  const dash = await dashboardMatrix(t.app, t.tokens, violations);
  await t.dispose();
  return {
    ok: violations.length === 0 && routes.length > 0 && dash.routes > 0,
    figure: `API ${routes.length} routes × ${ROLES.length + 1} callers = ${requests} requests; dashboard ${dash.routes} routes, ${dash.requests} requests (each role signed in, no session, sign-out); ${violations.length} violations`,
    details: violations,
  };
}
