import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import type { NumberView } from '../numbers/service.ts';
import type { CanaryNumber } from '../numbers/repository.ts';
import { PartialProvisionError } from '../numbers/provisioning.ts';
import { ProviderError } from '../numbers/twilio/errors.ts';
import { principalOf, requirePermission } from './auth.ts';

/** A canary number on the wire; the API and the CLI's --json agree. */
export const presentNumber = (n: CanaryNumber & Partial<Pick<NumberView, 'hits' | 'releaseAfter'>> & { canaryId?: string | null }) => ({
  id: n.id,
  phoneNumber: n.phoneNumber,
  country: n.country,
  type: n.numberType,
  provider: n.provider,
  providerSid: n.providerSid,
  friendlyName: n.friendlyName,
  status: n.status,
  isControl: n.isControl,
  burnInEndsAt: n.burnInEndsAt,
  readyAt: n.readyAt,
  assignedAt: n.assignedAt,
  retiredAt: n.retiredAt,
  retiredReason: n.retiredReason,
  releaseAfter: n.releaseAfter ?? null,
  releasedAt: n.releasedAt,
  releaseError: n.releaseError,
  missingSince: n.missingSince,
  monthlyPrice: n.monthlyPrice,
  currency: n.currency,
  ...(n.hits === undefined ? {} : { hits: n.hits }),
  ...(n.canaryId === undefined ? {} : { canaryId: n.canaryId }),
  createdAt: n.createdAt,
});

const releaseBody = z.object({ now: z.boolean().optional() }).default({});

/** /api/v1/numbers: canary numbers for security staff (seeder, admin). Reads are audited: a number's status says whether it is a canary. */
export function numbersRouter(s: Services): express.Router {
  const r = express.Router();

  r.get('/numbers', requirePermission('numbers:read'), (req, res) => {
    const who = principalOf(req);
    s.audit.record(who.tokenId, who.role, 'list-numbers', '*');
    const { numbers, monthlyTotals } = s.numberService.list();
    res.json({ provider: s.numberService.providerName, numbers: numbers.map(presentNumber), monthlyTotals });
  });
  r.get('/numbers/:id', requirePermission('numbers:read'), (req, res) => {
    const who = principalOf(req);
    const n = s.numberService.show(String(req.params.id));
    s.audit.record(who.tokenId, who.role, 'show-number', n.id);
    res.json(presentNumber(n));
  });
  r.post(['/numbers', '/numbers/provision'], requirePermission('numbers:write'), async (req, res) => {
    try {
      const numbers = await s.numberService.provision(req.body ?? {});
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
  r.post('/numbers/sync', requirePermission('numbers:write'), async (_req, res) => {
    res.json(await s.numberService.sync());
  });
  r.post('/numbers/:id/release', requirePermission('numbers:write'), async (req, res) => {
    const { now } = releaseBody.parse(req.body ?? {});
    res.json(presentNumber(await s.numberService.release(String(req.params.id), { now })));
  });
  return r;
}

const providerCode = (e: unknown) => (e instanceof ProviderError && e.providerCode !== undefined ? { providerCode: e.providerCode } : {});
