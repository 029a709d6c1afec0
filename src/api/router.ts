import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { notFound } from '../errors.ts';
import { authenticate, principalOf, requirePermission } from './auth.ts';
import { presentCanary, presentHit } from './present.ts';
import { plantingsRouter } from './plantings.ts';
import { numbersRouter } from './numbers.ts';
import { campaignsRouter } from './campaigns.ts';
import { partiesRouter } from './parties.ts';

const hitQuery = z.object({
  canaryId: z.string().max(100).optional(),
  classification: z.string().max(40).optional(),
  since: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

const reportQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(200).optional(),
  rebuild: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

/** /api/v1: thin — parse, call one domain function, shape the answer. */
export function apiRouter(s: Services): express.Router {
  const r = express.Router();
  r.use(express.json({ limit: '100kb' }));
  r.use(authenticate(s.tokens));

  r.post('/channels', requirePermission('channels:write'), (req, res) => {
    res.status(201).json(s.channels.create(req.body));
  });
  r.get('/channels', requirePermission('channels:read'), (_req, res) => {
    res.json({ channels: s.channels.list() });
  });
  r.get('/channels/:id', requirePermission('channels:read'), (req, res) => {
    res.json(s.channels.get(String(req.params.id)));
  });

  r.post('/canaries', requirePermission('canaries:write'), async (req, res) => {
    if (req.body?.dryRun === true) return void res.json(await s.dryRun(req.body));
    const canaries = await s.canaries.create(req.body);
    const who = principalOf(req);
    s.audit.record(who.tokenId, who.role, 'create', canaries.map((c) => c.id).join(','));
    res.status(201).json({ canaries: canaries.map(presentCanary) });
  });
  r.get('/canaries', requirePermission('canaries:read'), (req, res) => {
    const who = principalOf(req);
    s.audit.record(who.tokenId, who.role, 'list', '*');
    res.json({ canaries: s.canaries.list().map(presentCanary) });
  });
  r.get('/canaries/:id', requirePermission('canaries:read'), (req, res) => {
    const who = principalOf(req);
    const canary = s.canaries.get(String(req.params.id));
    s.audit.record(who.tokenId, who.role, 'show', canary.id);
    res.json(presentCanary(canary));
  });

  r.use(plantingsRouter(s));
  r.use(numbersRouter(s));
  r.use(campaignsRouter(s));
  r.use(partiesRouter(s));

  r.get('/hits', requirePermission('hits:read'), (req, res) => {
    const q = hitQuery.parse(req.query);
    res.json({ hits: s.hits.list(q).map((h) => presentHit(h)) });
  });
  r.get('/hits/:id', requirePermission('hits:read'), (req, res) => {
    const hit = s.hits.get(String(req.params.id));
    if (!hit) throw notFound('hit', String(req.params.id));
    res.json(presentHit(hit, true));
  });

  r.get('/report', requirePermission('report:read'), async (req, res) => {
    const q = reportQuery.parse(req.query);
    res.json(await s.reportOffThread({ limit: q.limit, cursor: q.cursor }, { rebuild: q.rebuild }));
  });
  r.get('/evidence', requirePermission('evidence:read'), (req, res) => {
    const after = z.coerce.number().int().min(0).default(0).parse(req.query.after);
    res.json({ chain: s.evidence.verify(), entries: s.evidence.list(1000, after) });
  });

  r.post('/tokens', requirePermission('tokens:manage'), (req, res) => {
    res.status(201).json(s.tokens.create(req.body));
  });
  r.get('/tokens', requirePermission('tokens:manage'), (_req, res) => {
    res.json({ tokens: s.tokens.list() });
  });
  r.get('/audit/registry-reads', requirePermission('tokens:manage'), (_req, res) => {
    res.json({ reads: s.audit.list() });
  });
  return r;
}
