import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { requirePermission } from './auth.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

const listQuery = z.strictObject({
  kind: z.string().max(60).optional(),
  subject: z.string().max(200).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
});

const verifyBody = z.strictObject({}).optional();

/**
 * /evidence: the log, filtered and cursor-paged, with the chain's state (verified up to entry N,
 * incrementally).
 */
export function evidenceRouter(s: Services): express.Router {
  const r = express.Router();
  r.get('/evidence', requirePermission('evidence:read'), (req, res) => {
    const q = listQuery.parse(req.query);
    const since = q.since === undefined ? undefined : new Date(q.since).toISOString();
    const page = s.evidenceService.page({ kind: q.kind, subject: q.subject, since, limit: q.limit, afterSeq: q.cursor ? decodeCursor(q.cursor) : 0 });
    const entries = page.entries;
    res.json({ chain: s.evidenceService.chain(), entries, nextCursor: page.nextAfter === null ? null : encodeCursor(page.nextAfter) });
  });
  r.post('/evidence/verify', requirePermission('evidence:read'), (req, res) => {
    verifyBody.parse(req.body && Object.keys(req.body).length ? req.body : undefined);
    const report = s.evidenceService.verify();
    res.json({ ...report, checkpointFiles: undefined });
  });
  r.post('/evidence/checkpoint', requirePermission('tokens:manage'), (_req, res) => {
    res.status(201).json(s.evidenceService.checkpoint({ force: true }));
  });
  return r;
}
