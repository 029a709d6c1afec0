import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { createTokenInput } from '../access/tokens.ts';
import { requirePermission } from './auth.ts';
import { bodyOf, noBody, noQuery, pageOfQuery, pageQuery, queryOf, timeRange } from './validate.ts';

const auditQuery = z.strictObject({ actor: z.string().min(1).max(200).optional(), since: timeRange.since, ...pageQuery });

/** /api/v1/tokens and the registry-read audit: admins only. */
export function accessRouter(s: Services): express.Router {
  const r = express.Router();
  r.post('/tokens', requirePermission('tokens:manage'), (req, res) => {
    queryOf(noQuery, req);
    res.status(201).json(s.tokens.create(bodyOf(createTokenInput.strict(), req)));
  });
  r.get('/tokens', requirePermission('tokens:manage'), (req, res) => {
    queryOf(noQuery, req);
    res.json({ tokens: s.tokens.list() });
  });
  r.post('/tokens/:id/revoke', requirePermission('tokens:manage'), (req, res) => {
    queryOf(noQuery, req);
    bodyOf(noBody, req);
    res.json(s.tokens.revoke(String(req.params.id)));
  });
  r.delete('/tokens/:id', requirePermission('tokens:manage'), (req, res) => {
    queryOf(noQuery, req);
    res.json(s.tokens.revoke(String(req.params.id)));
  });
  r.get('/audit/registry-reads', requirePermission('tokens:manage'), (req, res) => {
    const { limit, cursor, ...filter } = queryOf(auditQuery, req);
    const page = s.audit.page(filter, pageOfQuery({ limit, cursor }));
    res.json({ reads: page.items, nextCursor: page.nextCursor });
  });
  return r;
}
