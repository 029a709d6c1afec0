import { afterAll, describe, expect, it } from 'vitest';
import { apiRouter } from '../../src/api/router.ts';
import { routeTable } from '../../scripts/drills/role-matrix.ts';
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
});
