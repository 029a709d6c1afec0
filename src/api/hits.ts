import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { notFound } from '../errors.ts';
import { HIT_CLASSIFICATIONS, HIT_KINDS } from '../hits/hit.ts';
import { requirePermission } from './auth.ts';
import { presentHit } from './present.ts';
import { noQuery, pageOfQuery, pageQuery, queryOf, timeRange } from './validate.ts';

export const hitQuery = z.strictObject({
  canaryId: z.string().min(1).max(100).optional(),
  channelId: z.string().min(1).max(100).optional(),
  classification: z.enum(HIT_CLASSIFICATIONS).optional(),
  kind: z.enum(HIT_KINDS).optional(),
  ...timeRange,
  ...pageQuery,
});

/** /api/v1/hits: investigators read what reached the canary numbers, a page at a time. */
export function hitsRouter(s: Services): express.Router {
  const r = express.Router();
  r.get('/hits', requirePermission('hits:read'), (req, res) => {
    const { limit, cursor, ...filter } = queryOf(hitQuery, req);
    const page = s.hits.list(filter, pageOfQuery({ limit, cursor }));
    res.json({ hits: page.items.map((h) => presentHit(h)), nextCursor: page.nextCursor });
  });
  r.get('/hits/:id', requirePermission('hits:read'), (req, res) => {
    queryOf(noQuery, req);
    const hit = s.hits.get(String(req.params.id));
    if (!hit) throw notFound('hit', String(req.params.id));
    res.json(presentHit(hit, true));
  });
  return r;
}
