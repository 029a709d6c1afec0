import express from 'express';
import type { Services } from '../app.ts';
import type { PlantingListItem } from '../planting/repository.ts';
import { listFilter } from '../planting/service.ts';
import { principalOf, requirePermission } from './auth.ts';

/** A planting on the wire: never the rows and values the connector recorded (details). */
export const presentPlanting = (p: PlantingListItem) => ({
  id: p.id, canaryId: p.canaryId, channelId: p.channelId, channel: p.channelName, target: p.target, status: p.status,
  externalRef: p.externalRef, plantedAt: p.plantedAt, withdrawnAt: p.withdrawnAt, createdAt: p.createdAt,
  lastVerified: p.verifiedAt ? { at: p.verifiedAt, state: (JSON.parse(p.verifyState ?? '{}') as { state?: string }).state ?? null } : null,
});

/** Plantings after creation: confirm, call scripts, withdraw, verify, reconcile. Mounted inside /api/v1. */
export function plantingsRouter(s: Services): express.Router {
  const r = express.Router();

  r.get('/plantings', requirePermission('canaries:read'), (req, res) => {
    const who = principalOf(req);
    s.audit.record(who.tokenId, who.role, 'list-plantings', '*');
    res.json({ plantings: s.plantings.list(listFilter.parse(req.query)).map(presentPlanting) });
  });
  r.post('/plantings/verify', requirePermission('canaries:write'), async (_req, res) => {
    res.json({ results: await s.plantings.verifyAll() });
  });
  r.post('/plantings/reconcile', requirePermission('canaries:write'), async (req, res) => {
    res.json({ results: await s.plantings.reconcile(req.body ?? {}) });
  });
  r.get('/plantings/:id/script', requirePermission('canaries:read'), (req, res) => {
    const who = principalOf(req);
    const script = s.plantings.script(String(req.params.id));
    s.audit.record(who.tokenId, who.role, 'script', String(req.params.id));
    res.type('text/plain; charset=utf-8').send(script);
  });
  r.post('/plantings/:id/confirm', requirePermission('canaries:write'), (req, res) => {
    res.json(presentPlanting(s.plantings.confirm(String(req.params.id), req.body ?? {})));
  });
  r.post('/canaries/:id/withdraw', requirePermission('canaries:write'), async (req, res) => {
    res.json({ results: await s.plantings.withdrawCanary(String(req.params.id)) });
  });
  return r;
}
