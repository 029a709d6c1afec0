import express from 'express';
import type { Services } from '../app.ts';
import type { Permission } from '../access/tokens.ts';
import { requirePermission } from './auth.ts';

/** Alert outputs are admin-only, like tokens: an output decides where investigation news goes. */
const ADMIN_ONLY: Permission = 'tokens:manage';

/** /api/v1/alerts: outputs (never their secrets, except a webhook's once at creation) and the delivery record. */
export function alertsRouter(s: Services): express.Router {
  const r = express.Router();
  r.use('/alerts', requirePermission(ADMIN_ONLY));

  r.post('/alerts/outputs', requirePermission(ADMIN_ONLY), async (req, res) => {
    res.status(201).json(await s.alerts.add(req.body ?? {}));
  });
  r.get('/alerts/outputs', requirePermission(ADMIN_ONLY), (_req, res) => {
    res.json({ outputs: s.alerts.list() });
  });
  r.get('/alerts/outputs/:id', requirePermission(ADMIN_ONLY), (req, res) => {
    res.json(s.alerts.show(String(req.params.id)));
  });
  r.post('/alerts/outputs/:id/enable', requirePermission(ADMIN_ONLY), (req, res) => {
    res.json(s.alerts.enable(String(req.params.id)));
  });
  r.post('/alerts/outputs/:id/test', requirePermission(ADMIN_ONLY), async (req, res) => {
    res.json(await s.alerts.test(String(req.params.id)));
  });
  r.delete('/alerts/outputs/:id', requirePermission(ADMIN_ONLY), (req, res) => {
    res.json(s.alerts.remove(String(req.params.id)));
  });
  r.get('/alerts/deliveries', requirePermission(ADMIN_ONLY), (req, res) => {
    res.json(s.alerts.deliveries(req.query as Record<string, string>));
  });
  return r;
}
