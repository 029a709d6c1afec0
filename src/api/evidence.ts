import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { sealForInvestigator, sealVerifyReport } from '../evidence/seal.ts';
import { principalOf, requirePermission } from './auth.ts';
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
 * incrementally). Investigators see registry facts only of canaries a call has touched (audited);
 * admins see all (audited).
 */
export function evidenceRouter(s: Services): express.Router {
  const r = express.Router();
  r.get('/evidence', requirePermission('evidence:read'), (req, res) => {
    const q = listQuery.parse(req.query);
    const since = q.since === undefined ? undefined : new Date(q.since).toISOString();
    const page = s.evidenceService.page({ kind: q.kind, subject: q.subject, since, limit: q.limit, afterSeq: q.cursor ? decodeCursor(q.cursor) : 0 });
    const who = principalOf(req);
    let entries = page.entries;
    let sealed = 0;
    if (who.role === 'investigator') {
      const p = sealForInvestigator(s.db, entries);
      entries = p.entries;
      sealed = p.sealed;
      if (p.revealedCanaries.length > 0) s.audit.record(who.tokenId, who.role, 'evidence', p.revealedCanaries.join(','));
    } else {
      s.audit.record(who.tokenId, who.role, 'evidence', '*');
    }
    res.json({ chain: s.evidenceService.chain(), entries, sealed, nextCursor: page.nextAfter === null ? null : encodeCursor(page.nextAfter) });
  });
  r.post('/evidence/verify', requirePermission('evidence:read'), async (req, res) => {
    verifyBody.parse(req.body && Object.keys(req.body).length ? req.body : undefined);
    const report = await s.evidenceService.verifyOffThread();
    const who = principalOf(req);
    // Problems name rows (a planting's id): investigators get the verdict and where, not registry ids.
    if (who.role === 'investigator') {
      return void res.json({ ...sealVerifyReport(report), checkpointFiles: undefined });
    }
    res.json({ ...report, checkpointFiles: undefined });
  });
  r.post('/evidence/checkpoint', requirePermission('tokens:manage'), (_req, res) => {
    res.status(201).json(s.evidenceService.checkpoint({ force: true }));
  });
  return r;
}
