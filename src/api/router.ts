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
import { securityEventsRouter } from './security-events.ts';
import { evidenceRouter } from './evidence.ts';
import { refuseLoneSurrogates, requireUtf8Body } from '../text/unicode.ts';
import { casesRouter } from './cases.ts';
import { reportExportRouter } from './report-export.ts';
import { partiesRouter } from './parties.ts';

const reportQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(200).optional(),
  partiesCursor: z.string().max(200).optional(),
  rebuild: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

/** /api/v1: thin — parse, call one domain function, shape the answer. One router per area. */
export function apiRouter(s: Services): express.Router {
  const r = express.Router();
  r.use(express.json({ limit: '100kb', verify: requireUtf8Body, reviver: refuseLoneSurrogates }));
  r.use(authenticate(s.tokens));

  r.use(channelsRouter(s));
  r.use(canariesRouter(s));
  r.use(plantingsRouter(s));
  r.use(numbersRouter(s));
  r.use(campaignsRouter(s));
  r.use(hitsRouter(s));
  r.use(accessRouter(s));
  r.use(alertsRouter(s));
  r.use(securityEventsRouter(s));
  r.use(casesRouter(s));
  r.use(reportExportRouter(s));
  r.use(partiesRouter(s));

  r.get('/report', requirePermission('report:read'), async (req, res) => {
    const q = reportQuery.parse(req.query);
    res.json(await s.reportOffThread({ limit: q.limit, cursor: q.cursor, partiesCursor: q.partiesCursor }, { rebuild: q.rebuild }));
  });
  r.use(evidenceRouter(s));
  return r;
}
