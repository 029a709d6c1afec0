import { afterAll, describe, expect, it } from 'vitest';
import { apiRouter } from '../../src/api/router.ts';
import { dashboardRoutes, PUBLIC_PAGES, routeTable } from '../../scripts/drills/role-matrix.ts';
import { run as registrySweep } from '../../scripts/drills/registry.ts';
import { dashboardRouter } from '../../src/dashboard/index.ts';
import { buildTestApp } from '../support/app.ts';

const app = buildTestApp();
afterAll(() => app.dispose());

describe('the route table', () => {
  it('when the API is read as a table, then every route carries a permission guard (a new route cannot escape the role matrix)', () => {
    const routes = routeTable(apiRouter(app.services));
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => r.permission === null)).toEqual([]);
    expect(routes).toContainEqual({ method: 'GET', path: '/api/v1/security-events', permission: 'security:read' });
  });

  it('when the dashboard is read as a table, then every page but sign-in and its assets has a sign-in guard, and the evidence page asks evidence:read', () => {
    const routes = dashboardRoutes(dashboardRouter(app.services));
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !r.signIn).map((r) => `${r.method} ${r.path}`).sort()).toEqual([...PUBLIC_PAGES].sort());
    expect(routes).toContainEqual({ method: 'GET', path: '/evidence', permission: 'evidence:read', signIn: true });
  });

  it('when an investigator reads every API and dashboard route their role allows, then no uncalled canary is named outside an audited case read', async () => {
    const r = await registrySweep({ trim: true });
    expect(r.details).toEqual([]);
    expect(r.ok).toBe(true);
  }, 60_000);
});

