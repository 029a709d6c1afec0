import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { authenticate, requirePermission } from './auth.ts';
import { channelsRouter } from './channels.ts';
import { canariesRouter } from './canaries.ts';
import { plantingsRouter } from './plantings.ts';
import { numbersRouter } from './numbers.ts';
import { campaignsRouter } from './campaigns.ts';
import { hitsRouter } from './hits.ts';
import { accessRouter } from './access.ts';
import { alertsRouter } from './alerts.ts';

const reportQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(200).optional(),
  rebuild: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

/** /api/v1: thin — parse, call one domain function, shape the answer. One router per area. */
export function apiRouter(s: Services): express.Router {
  const r = express.Router();
  r.use(express.json({ limit: '100kb' }));
  r.use(authenticate(s.tokens));

  r.use(channelsRouter(s));
  r.use(canariesRouter(s));
  r.use(plantingsRouter(s));
  r.use(numbersRouter(s));
  r.use(campaignsRouter(s));
  r.use(hitsRouter(s));
  r.use(accessRouter(s));
  r.use(alertsRouter(s));

  r.get('/report', requirePermission('report:read'), async (req, res) => {
    const q = reportQuery.parse(req.query);
    res.json(await s.reportOffThread({ limit: q.limit, cursor: q.cursor }, { rebuild: q.rebuild }));
  });
  r.get('/evidence', requirePermission('evidence:read'), (req, res) => {
    const after = z.coerce.number().int().min(0).default(0).parse(req.query.after);
    res.json({ chain: s.evidence.verify(), entries: s.evidence.list(1000, after) });
  });
  return r;
}
