// Every role (and no token) against every route, read from the API's own route table: a route
// added later is in the matrix at once, and a route with no permission guard is itself a finding.
import type express from 'express';
import request from 'supertest';
import { apiRouter } from '../../src/api/router.ts';
import { can, ROLES, type Permission } from '../../src/access/tokens.ts';
import { localTracer, type DrillOptions, type DrillResult } from './support.ts';

interface Route {
  method: string;
  path: string;
  permission: Permission | null;
}

type Layer = { route?: { path: string | string[]; methods: Record<string, boolean>; stack: Array<{ handle: { permission?: Permission } }> }; handle: { stack?: Layer[] } };

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
  await t.dispose();
  return { ok: violations.length === 0 && routes.length > 0, figure: `${routes.length} routes × ${ROLES.length + 1} callers = ${requests} requests, ${violations.length} violations`, details: violations };
}
