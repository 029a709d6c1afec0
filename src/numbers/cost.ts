// What numbers cost a month, asked before buying or planting many: a campaign of thousands of
// canaries is a standing bill, and staff see it before they commit to it.
import { AppError } from '../errors.ts';
import type { NumberProvider, NumberType } from './provider.ts';

export interface CostEstimate {
  count: number;
  /** null when no price is known for these numbers. */
  perNumber: number | null;
  currency: string | null;
  total: number | null;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** count numbers of this country and type. */
export async function provisioningCost(provider: NumberProvider, country: string, type: NumberType, count: number): Promise<CostEstimate> {
  const price = await provider.monthlyPrice(country.toUpperCase(), type);
  return price
    ? { count, perNumber: price.price, currency: price.currency, total: round(price.price * count) }
    : { count, perNumber: null, currency: null, total: null };
}

/** A campaign's canaries each hold one number of the locale's country: priced at the dearest type, so the estimate is an upper bound. */
export async function campaignCost(provider: NumberProvider, country: string, count: number): Promise<CostEstimate> {
  const types: NumberType[] = ['mobile', 'local', 'toll-free'];
  const estimates = await Promise.all(types.map((t) => provisioningCost(provider, country, t, count)));
  const priced = estimates.filter((e) => e.perNumber !== null);
  if (priced.length === 0) return estimates[0]!;
  return priced.reduce((a, b) => (b.perNumber! > a.perNumber! ? b : a));
}

/** Over the threshold, nothing happens until the caller confirms, having seen the cost. */
export function requireCostConfirmation(cost: CostEstimate, threshold: number, confirmed: boolean, how: string): void {
  if (confirmed || cost.total === null || cost.total <= threshold) return;
  throw new AppError(
    'cost-confirmation-required',
    `${cost.count} number(s) at ${cost.perNumber} ${cost.currency}/month cost ${cost.total} ${cost.currency} a month, ` +
      `over COST_CONFIRM_THRESHOLD=${threshold}; nothing done: confirm with ${how}`,
    409,
    { cost },
  );
}
