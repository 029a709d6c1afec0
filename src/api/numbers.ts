import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { NUMBER_STATUSES } from '../numbers/repository.ts';
import { PartialProvisionError, provisionInput } from '../numbers/provisioning.ts';
import { requireCostConfirmation } from '../numbers/cost.ts';
import { bodyOf, noBody, noQuery, pageOfQuery, pageQuery, queryOf } from './validate.ts';
import { ProviderError } from '../numbers/twilio/errors.ts';
import { principalOf, requirePermission } from './auth.ts';
import { presentNumber } from './present.ts';

export { presentNumber };

const releaseBody = z.strictObject({
  now: z.boolean().optional(),
  /** Release although a planted canary still carries the number (recorded with the reason). */
  force: z.boolean().optional(),
  reason: z.string().trim().min(1).max(1000).optional(),
});
const provisionBody = provisionInput.extend({ confirmCost: z.boolean().default(false) }).strict();
const numberListQuery = z.strictObject({ status: z.enum(NUMBER_STATUSES).optional(), ...pageQuery });

/** /api/v1/numbers: canary numbers for security staff (seeder, admin). Reads are audited: a number's status says whether it is a canary. */
export function numbersRouter(s: Services): express.Router {
  const r = express.Router();

  r.get('/numbers', requirePermission('numbers:read'), (req, res) => {
    const { limit, cursor, ...filter } = queryOf(numberListQuery, req);
    const who = principalOf(req);
    const { numbers, monthlyTotals, nextCursor } = s.numberService.list(filter, pageOfQuery({ limit, cursor }));
    s.audit.record(who.tokenId, who.role, 'list-numbers', '*');
    res.json({ provider: s.numberService.providerName, numbers: numbers.map(presentNumber), monthlyTotals, nextCursor });
  });
  r.get('/numbers/:id', requirePermission('numbers:read'), (req, res) => {
    queryOf(noQuery, req);
    const who = principalOf(req);
    const n = s.numberService.show(String(req.params.id));
    s.audit.record(who.tokenId, who.role, 'show-number', n.id);
    res.json(presentNumber(n));
  });
  r.post(['/numbers', '/numbers/provision'], requirePermission('numbers:write'), async (req, res) => {
    try {
      queryOf(noQuery, req);
      const { confirmCost, ...input } = bodyOf(provisionBody, req);
      const cost = await s.costs.provisioning(input.country, input.type, input.count);
      requireCostConfirmation(cost, s.costs.threshold, confirmCost, '"confirmCost": true');
      const numbers = await s.numberService.provision(input);
      res.status(201).json({ numbers: numbers.map((n) => presentNumber({ ...n, hits: 0 })) });
    } catch (err) {
      if (!(err instanceof PartialProvisionError)) throw err;
      // Some were bought: say so, with what the store now holds, beside the failure.
      res.status(err.status).json({
        error: err.code, message: err.message, ...providerCode(err.failure),
        numbers: err.provisioned.map((n) => presentNumber({ ...n, hits: 0 })),
      });
    }
  });
  r.post('/numbers/sync', requirePermission('numbers:write'), async (req, res) => {
    queryOf(noQuery, req);
    bodyOf(noBody, req);
    res.json(await s.numberService.sync());
  });
  r.post('/numbers/:id/release', requirePermission('numbers:write'), async (req, res) => {
    queryOf(noQuery, req);
    const body = bodyOf(releaseBody, req);
    res.json(presentNumber(await s.numberService.release(String(req.params.id), { ...body, actor: principalOf(req).tokenId })));
  });
  return r;
}

const providerCode = (e: unknown) => (e instanceof ProviderError && e.providerCode !== undefined ? { providerCode: e.providerCode } : {});
