import express from 'express';
import type { Services } from '../app.ts';
import { z } from 'zod';
import { bodyOf, noBody, noQuery, queryBoolean, queryOf } from './validate.ts';
import { requirePermission } from './auth.ts';

/** /api/v1/channels: exposure paths. Mounted inside /api/v1. */
export function channelsRouter(s: Services): express.Router {
  const r = express.Router();
  r.post('/channels', requirePermission('channels:write'), (req, res) => {
    queryOf(noQuery, req);
    res.status(201).json(s.channels.create(req.body ?? {}));
  });
  r.get('/channels', requirePermission('channels:read'), (req, res) => {
    const { archived } = queryOf(z.strictObject({ archived: queryBoolean.optional() }), req);
    res.json({ channels: s.channels.list({ includeArchived: archived }) });
  });
  r.patch('/channels/:id', requirePermission('channels:write'), (req, res) => {
    queryOf(noQuery, req);
    res.json(s.channels.update(String(req.params.id), req.body ?? {}));
  });
  r.post('/channels/:id/archive', requirePermission('channels:write'), (req, res) => {
    queryOf(noQuery, req);
    bodyOf(noBody, req);
    res.json(s.channels.archive(String(req.params.id)));
  });
  r.delete('/channels/:id', requirePermission('channels:write'), (req, res) => {
    queryOf(noQuery, req);
    const c = s.channels.remove(String(req.params.id));
    res.json({ deleted: c.id, name: c.name });
  });
  r.get('/channels/:id', requirePermission('channels:read'), (req, res) => {
    queryOf(noQuery, req);
    res.json(s.channels.get(String(req.params.id)));
  });
  return r;
}

