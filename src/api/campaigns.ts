import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { principalOf, requirePermission } from './auth.ts';
import { requireCostConfirmation } from '../numbers/cost.ts';
import { campaignInput } from '../campaigns/service.ts';

const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).optional(), cursor: z.string().max(100).optional() });
const nextBody = z.strictObject({ plant: z.boolean().default(false) });

/** /api/v1/campaigns: a campaign's canaries are the registry, so every route is seeder/admin and audited. */
export function campaignsRouter(s: Services): express.Router {
  const r = express.Router();
  const audit = (req: express.Request, action: string, subject: string) => {
    const who = principalOf(req);
    s.audit.record(who.tokenId, who.role, action, subject);
  };
  r.post('/campaigns/plan', requirePermission('canaries:write'), (req, res) => {
    res.json(s.campaigns.plan(req.body));
  });
  r.post('/campaigns', requirePermission('canaries:write'), async (req, res) => {
    const input = campaignInput.parse(req.body);
    // What its numbers would cost a month, shown and confirmed before anything is bought.
    const design = s.campaigns.designFor(input);
    const cost = await s.costs.campaign(input.locale, design.canaries.length);
    requireCostConfirmation(cost, s.costs.threshold, input.confirmCost === true, '"confirmCost": true');
    const made = await s.campaigns.create(input, design);
    audit(req, 'campaign-create', made.id);
    res.status(201).json(made);
  });
  r.get('/campaigns', requirePermission('canaries:read'), (req, res) => {
    audit(req, 'campaign-list', '*');
    res.json(s.campaigns.list(listQuery.parse(req.query)));
  });
  r.get('/campaigns/:id', requirePermission('canaries:read'), (req, res) => {
    const c = s.campaigns.get(String(req.params.id));
    audit(req, 'campaign-show', c.id);
    res.json(c);
  });
  /** Each exposure made or to come, with the shift it reaches and when: which canaries are the campaign's is the registry. */
  r.get('/campaigns/:id/exposures', requirePermission('canaries:read'), (req, res) => {
    const out = s.campaigns.exposures(String(req.params.id));
    audit(req, 'campaign-exposures', String(req.params.id));
    res.json(out);
  });
  r.post('/campaigns/:id/next', requirePermission('canaries:write'), async (req, res) => {
    const out = await s.campaigns.next(String(req.params.id), nextBody.parse(req.body ?? {}));
    audit(req, 'campaign-next', String(req.params.id));
    res.json(out);
  });
  return r;
}
