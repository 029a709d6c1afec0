import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { confirmInput, PLANTING_STATUSES, reconcileInput } from '../planting/service.ts';
import { principalOf, requirePermission } from './auth.ts';
import { presentPlanting } from './present.ts';
import { bodyOf, noBody, noQuery, pageOfQuery, pageQuery, queryOf, timeRange } from './validate.ts';

export const plantingListQuery = z.strictObject({
  status: z.enum(PLANTING_STATUSES).optional(),
  canaryId: z.string().min(1).max(100).optional(),
  channelId: z.string().min(1).max(100).optional(),
  ...timeRange,
  ...pageQuery,
});

export { presentPlanting };

/** Plantings after creation: confirm, call scripts, withdraw, verify, reconcile. Mounted inside /api/v1. */
export function plantingsRouter(s: Services): express.Router {
  const r = express.Router();

  r.get('/plantings', requirePermission('canaries:read'), (req, res) => {
    const { limit, cursor, ...filter } = queryOf(plantingListQuery, req);
    const who = principalOf(req);
    const page = s.plantings.page(filter, pageOfQuery({ limit, cursor }));
    s.audit.record(who.tokenId, who.role, 'list-plantings', '*');
    res.json({ plantings: page.items.map(presentPlanting), nextCursor: page.nextCursor });
  });
  r.post('/plantings/verify', requirePermission('canaries:write'), async (req, res) => {
    queryOf(noQuery, req);
    bodyOf(noBody, req);
    res.json({ results: await s.plantings.verifyAll() });
  });
  r.post('/plantings/reconcile', requirePermission('canaries:write'), async (req, res) => {
    queryOf(noQuery, req);
    res.json({ results: await s.plantings.reconcile(bodyOf(reconcileInput.strict(), req)) });
  });
  r.get('/plantings/:id/script', requirePermission('canaries:read'), (req, res) => {
    queryOf(noQuery, req);
    const who = principalOf(req);
    const script = s.plantings.script(String(req.params.id));
    s.audit.record(who.tokenId, who.role, 'script', String(req.params.id));
    res.type('text/plain; charset=utf-8').send(script);
  });
  r.post('/plantings/:id/confirm', requirePermission('canaries:write'), (req, res) => {
    queryOf(noQuery, req);
    res.json(presentPlanting(s.plantings.confirm(String(req.params.id), bodyOf(confirmInput.strict(), req))));
  });
  r.post('/canaries/:id/withdraw', requirePermission('canaries:write'), async (req, res) => {
    queryOf(noQuery, req);
    bodyOf(noBody, req);
    res.json({ results: await s.plantings.withdrawCanary(String(req.params.id)) });
  });
  return r;
}
