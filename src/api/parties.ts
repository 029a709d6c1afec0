import express from 'express';
import { z } from 'zod';
import { EXPORT_FORMATS } from '../exports/report.ts';
import { exportParties } from '../parties/export.ts';
import type { Services } from '../app.ts';
import { can } from '../access/tokens.ts';
import { principalOf, requirePermission } from './auth.ts';
import { partyPage } from '../parties/page.ts';

const listQuery = z.strictObject({ format: z.enum(EXPORT_FORMATS).optional(), bom: z.enum(['true', 'false']).optional() });

/** /api/v1/parties: investigators group caller numbers; every act names its actor in the evidence log. */
export function partiesRouter(s: Services): express.Router {
  const r = express.Router();
  const actor = (req: express.Request) => {
    const who = principalOf(req);
    return `${who.role}:${who.tokenId}`;
  };
  r.get('/parties', requirePermission('parties:read'), async (req, res) => {
    const q = listQuery.parse(req.query);
    if (!q.format) return void res.json({ parties: s.parties.list() });
    // Streamed page by page, writes waiting for the socket to drain.
    // attachment() first: it sets a type from the file name (none known for .jsonl), which type() then replaces.
    res.attachment(`parties.${q.format}`);
    res.type(q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    await exportParties(s.db, q.format, (chunk) => new Promise<void>((resolve) => (res.write(chunk) ? resolve() : res.once('drain', resolve))), { bom: q.bom === 'true' });
    res.end();
  });
  r.post('/parties', requirePermission('parties:write'), (req, res) => {
    res.status(201).json(s.parties.create(req.body, actor(req)));
  });
  r.post('/parties/propose', requirePermission('parties:write'), (req, res) => {
    res.json({ proposed: s.parties.propose(`tracer (asked by ${actor(req)})`) });
  });
  r.get('/parties/:id', requirePermission('parties:read'), async (req, res) => {
    const party = s.parties.get(String(req.params.id));
    const who = principalOf(req);
    const registry = can(who.role, 'canaries:read');
    // Off the event loop, and only this party's figures: the decode is the report's (kept per state of the facts).
    const report = await s.reportOffThread({ limit: 1, parties: [party.id, ...party.numbers] });
    const page = partyPage(s.db, party, report.parties ?? [], registry);
    if (registry) s.audit.record(who.tokenId, who.role, 'party-canaries', party.id);
    res.json(page);
  });
  r.post('/parties/:id/accept', requirePermission('parties:write'), (req, res) => {
    res.json(s.parties.accept(String(req.params.id), actor(req)));
  });
  r.post('/parties/:id/merge', requirePermission('parties:write'), (req, res) => {
    res.json(s.parties.merge(String(req.params.id), req.body, actor(req)));
  });
  r.post('/parties/:id/split', requirePermission('parties:write'), (req, res) => {
    res.json(s.parties.split(String(req.params.id), req.body, actor(req)));
  });
  r.post('/parties/:id/rename', requirePermission('parties:write'), (req, res) => {
    res.json(s.parties.rename(String(req.params.id), req.body, actor(req)));
  });
  r.post('/parties/:id/notes', requirePermission('parties:write'), (req, res) => {
    res.status(201).json(s.parties.note(String(req.params.id), req.body, actor(req)));
  });
  /** What the caller said on a hit, as an investigator heard it (matched against planting variants). */
  r.post('/hits/:id/notes', requirePermission('parties:write'), (req, res) => {
    res.status(201).json(s.parties.noteHit(String(req.params.id), req.body, actor(req)));
  });
  return r;
}
