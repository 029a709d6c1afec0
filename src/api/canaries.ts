import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { createCanariesInput } from '../canaries/service.ts';
import { principalOf, requirePermission } from './auth.ts';
import { presentCanary } from './present.ts';
import { requireCostConfirmation } from '../numbers/cost.ts';
import { bodyOf, noQuery, pageOfQuery, pageQuery, queryOf, timeRange } from './validate.ts';

/** The body of POST /canaries: the creation itself, plus how the caller wants it run. */
export const createCanariesBody = createCanariesInput.extend({
  /** Show what would be written, write nothing. A boolean: "true" is refused, not read as false. */
  dryRun: z.boolean().default(false),
  /** A campaign whose numbers cost more than COST_CONFIRM_THRESHOLD a month needs this. */
  confirmCost: z.boolean().default(false),
}).strict();

export const canaryListQuery = z.strictObject({
  channelId: z.string().min(1).max(100).optional(),
  ...timeRange,
  ...pageQuery,
});

/** /api/v1/canaries: the registry. Every read is audited under the caller's token. */
export function canariesRouter(s: Services): express.Router {
  const r = express.Router();
  r.post('/canaries', requirePermission('canaries:write'), async (req, res) => {
    queryOf(noQuery, req);
    const { dryRun, confirmCost, ...input } = bodyOf(createCanariesBody, req);
    // An archived channel takes no new plantings (the channel lookup itself stays the service's).
    for (const id of input.channelIds) s.channels.assertPlantable(s.channels.get(id));
    if (dryRun) return void res.json(await s.dryRun(input));
    const cost = await s.costs.campaign(input.locale, input.count);
    requireCostConfirmation(cost, s.costs.threshold, confirmCost, '"confirmCost": true');
    const canaries = await s.canaries.create(input);
    const who = principalOf(req);
    s.audit.record(who.tokenId, who.role, 'create', canaries.map((c) => c.id).join(','));
    res.status(201).json({ canaries: canaries.map(presentCanary) });
  });
  r.get('/canaries', requirePermission('canaries:read'), (req, res) => {
    const { limit, cursor, ...filter } = queryOf(canaryListQuery, req);
    const who = principalOf(req);
    const page = s.canaries.list(filter, pageOfQuery({ limit, cursor }));
    s.audit.record(who.tokenId, who.role, 'list', '*');
    res.json({ canaries: page.items.map(presentCanary), nextCursor: page.nextCursor });
  });
  r.get('/canaries/:id', requirePermission('canaries:read'), (req, res) => {
    queryOf(noQuery, req);
    const who = principalOf(req);
    const canary = s.canaries.get(String(req.params.id));
    s.audit.record(who.tokenId, who.role, 'show', canary.id);
    res.json(presentCanary(canary));
  });
  return r;
}
