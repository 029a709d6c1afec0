import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { requirePermission } from './auth.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

const query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
});

/** GET /security-events: aggregated forgeries, newest first, cursor-paged. */
export function securityEventsRouter(s: Services): express.Router {
  const r = express.Router();
  r.get('/security-events', requirePermission('security:read'), (req, res) => {
    const q = query.parse(req.query);
    s.securityEvents.flush(); // what was counted in the last second is part of the answer
    const page = s.securityEvents.page(q.limit, q.cursor === undefined ? undefined : decodeCursor(q.cursor));
    res.json({ events: page.events, nextCursor: page.nextId === null ? null : encodeCursor(page.nextId) });
  });
  return r;
}
