// Search and buy canary numbers. Only what the provider confirmed is recorded, each number in its
// own transaction the moment it is bought, so a batch that fails half-way keeps exactly what was
// bought and says which purchase failed and why (with Twilio's error code).
import { z } from 'zod';
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { EventPublisher } from '../alerts/events.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { NumberProvider, NumberType, OwnedNumber } from './provider.ts';
import type { PurchaseTerms } from './pool.ts';
import type { CanaryNumber, NumberRepository } from './repository.ts';

const DAY_MS = 86_400_000;
/** Candidates asked for beyond the count: some may be numbers the tracer held before. */
const SEARCH_SPARE = 10;
/** Share of NUMBERS_MONTHLY_BUDGET past which a budget-near-cap event is published. */
const NEAR_CAP = 0.8;

export const provisionInput = z.object({
  country: z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code such as US or SA').transform((c) => c.toUpperCase()),
  type: z.enum(['local', 'mobile', 'toll-free']).default('local'),
  areaCode: z.string().regex(/^\d{1,5}$/, 'must be digits, e.g. 415').optional(),
  contains: z.string().regex(/^[0-9A-Za-z*]{1,16}$/, 'may hold digits, letters and *').optional(),
  count: z.number().int().min(1).max(50).default(1),
});
export type ProvisionInput = z.input<typeof provisionInput>;

/** Some numbers were bought, then a purchase failed: `provisioned` is what the store now holds. */
export class PartialProvisionError extends AppError {
  constructor(
    readonly provisioned: CanaryNumber[],
    readonly failure: AppError,
    requested: number,
  ) {
    super(
      failure.code,
      `bought ${provisioned.length} of ${requested} number(s) (${provisioned.map((n) => n.phoneNumber).join(', ')}), then: ${failure.message}`,
      failure.status,
      { provisioned: provisioned.map((n) => n.id) },
    );
    this.name = 'PartialProvisionError';
  }
}

export interface ProvisionerDeps {
  db: Db;
  repo: NumberRepository;
  provider: NumberProvider;
  evidence: EvidenceLog;
  clock: () => Date;
  log: Logger;
  terms: PurchaseTerms;
  burnInDays: number;
  monthlyBudget: number | null;
  publish?: EventPublisher;
}

export class NumberProvisioner {
  /** Provisioning runs one request at a time, so two requests cannot both fit under the budget. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: ProvisionerDeps) {}

  provision(input: ProvisionInput): Promise<CanaryNumber[]> {
    const run = this.queue.then(() => this.provisionNow(provisionInput.parse(input)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async provisionNow(o: z.output<typeof provisionInput>): Promise<CanaryNumber[]> {
    const price = await this.d.provider.monthlyPrice(o.country, o.type);
    this.checkBudget(o, price);
    const candidates = await this.candidates(o);
    const bought: CanaryNumber[] = [];
    for (const phoneNumber of candidates) {
      let owned: OwnedNumber;
      try {
        owned = await this.d.provider.purchase({ ...this.d.terms(o.country), phoneNumber });
      } catch (err) {
        throw this.failed(err, bought, o.count);
      }
      try {
        bought.push(this.record(owned, o.country, o.type, price));
      } catch (err) {
        this.d.log.error({ providerSid: owned.providerSid, err: (err as Error).message }, 'bought a number but could not record it');
        const message = `${owned.phoneNumber} (${owned.providerSid}) was bought but could not be recorded: ${(err as Error).message}; release it on the provider`;
        throw this.failed(new AppError('record-failed', message, 500), bought, o.count);
      }
    }
    return bought;
  }

  private checkBudget(o: z.output<typeof provisionInput>, price: { price: number; currency: string } | null): void {
    const budget = this.d.monthlyBudget;
    if (budget === null) return;
    if (price === null) {
      throw new AppError('price-unknown', `no monthly price is known for ${o.country} ${o.type} numbers, so NUMBERS_MONTHLY_BUDGET cannot be kept; nothing bought (set NUMBER_PRICES)`, 409);
    }
    const totals = this.d.repo.monthlyTotals();
    const other = totals.find((t) => t.currency !== '' && t.currency !== price.currency);
    if (other) {
      throw new AppError('over-budget', `numbers are already held in ${other.currency}, new ones cost ${price.currency}: the budget cannot be summed; nothing bought`, 409);
    }
    const held = totals.find((t) => t.currency === price.currency)?.amount ?? 0;
    const after = Math.round((held + price.price * o.count) * 100) / 100;
    if (after > budget) {
      throw new AppError(
        'over-budget',
        `${o.count} ${o.country} ${o.type} number(s) at ${price.price} ${price.currency}/month would bring the monthly cost to ` +
          `${after} ${price.currency}, over NUMBERS_MONTHLY_BUDGET=${budget} (held now: ${held}); nothing bought`,
        409,
      );
    }
  }

  private async candidates(o: z.output<typeof provisionInput>): Promise<string[]> {
    const found = await this.d.provider.searchAvailable({
      country: o.country, type: o.type, areaCode: o.areaCode, contains: o.contains, limit: o.count + SEARCH_SPARE,
    });
    const known = this.d.repo.knownPhones();
    const fresh = [...new Set(found.map((f) => f.phoneNumber))].filter((p) => !known.has(p));
    if (fresh.length < o.count) {
      const what = [o.country, o.type, o.areaCode && `area code ${o.areaCode}`, o.contains && `containing ${o.contains}`].filter(Boolean).join(' ');
      throw new AppError('not-enough-numbers', `only ${fresh.length} ${what} number(s) are available, ${o.count} asked for; nothing bought`, 409);
    }
    return fresh.slice(0, o.count);
  }

  private record(owned: OwnedNumber, country: string, type: NumberType, price: { price: number; currency: string } | null): CanaryNumber {
    const now = this.d.clock();
    const at = now.toISOString();
    const id = newId('num');
    this.d.db.transaction(() => {
      this.d.repo.insert({
        id, phoneNumber: owned.phoneNumber, country, provider: this.d.provider.name, providerSid: owned.providerSid,
        status: 'burn-in', burnInEndsAt: new Date(now.getTime() + this.d.burnInDays * DAY_MS).toISOString(),
        monthlyPrice: price?.price ?? null, currency: price?.currency ?? null, numberType: type,
        friendlyName: owned.friendlyName, backfilledUntil: at, createdAt: at,
      });
      this.d.evidence.append(at, 'number-provisioned', id, {
        phoneNumber: owned.phoneNumber, providerSid: owned.providerSid, provider: this.d.provider.name, country, type,
        monthlyPrice: price, webhooks: owned.webhooks,
      });
      this.publishIfNearCap(price, at);
    })();
    return this.d.repo.find(id)!;
  }

  /** Once, when this number takes the held numbers' monthly cost past 80 % of the budget. */
  private publishIfNearCap(price: { price: number; currency: string } | null, at: string): void {
    const cap = this.d.monthlyBudget;
    if (cap === null || price === null || !this.d.publish) return;
    const amount = this.d.repo.monthlyTotals().find((t) => t.currency === price.currency)?.amount ?? 0;
    if (amount >= NEAR_CAP * cap && amount - price.price < NEAR_CAP * cap) {
      this.d.publish({ kind: 'budget-near-cap', budget: 'numbers-monthly', amount, cap, currency: price.currency }, at);
    }
  }

  private failed(err: unknown, bought: CanaryNumber[], requested: number): AppError {
    const e = err instanceof AppError ? err : new AppError('provider-error', err instanceof Error ? err.message : String(err), 502);
    return bought.length === 0 ? e : new PartialProvisionError(bought, e, requested);
  }
}
