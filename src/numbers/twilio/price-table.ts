// A configured monthly price per country and number type: the simulated provider's only source,
// and the Twilio provider's fallback when the pricing API cannot be asked.
import type { NumberType } from '../provider.ts';

export interface PriceTableEntry {
  /** ISO 3166 alpha-2 */
  country: string;
  type: NumberType;
  price: number;
  currency: string;
}

export function priceFromTable(
  table: readonly PriceTableEntry[],
  country: string,
  type: NumberType,
): { price: number; currency: string } | null {
  const entry = table.find((row) => row.country.toUpperCase() === country.toUpperCase() && row.type === type);
  return entry === undefined ? null : { price: entry.price, currency: entry.currency };
}
