// The shape of a canary's identity. Every generator, the preview command, the sample utility
// database and the planting connectors speak in these types.

export const LOCALES = ['ar-SA', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

export interface PhoneForms {
  /** E.164, e.g. +966501234567 */
  e164: string;
  /** As the utility's agents would type it, e.g. 050 123 4567 */
  national: string;
}

export interface SaudiAddress {
  buildingNumber: string;
  street: string;
  district: string;
  city: string;
  postalCode: string;
  additionalNumber: string;
  shortAddress: string;
}

export interface UsAddress {
  street: string;
  city: string;
  state: string;
  zip: string;
}

export interface Persona {
  locale: Locale;
  fullName: string;
  /** ar-SA only: Latin transliteration of fullName. */
  fullNameLatin?: string;
  /** ar-SA only: national ID / iqama, 10 digits, Luhn-checked. */
  nationalId?: string;
  phone: PhoneForms;
  landline?: PhoneForms;
  address: SaudiAddress | UsAddress;
  accountNumber: string;
  premiseId: string;
  meterSerial: string;
  /** When the account was opened (ISO 8601 with offset): years before most complaints. */
  openedAt: string;
}

export const TICKET_CATEGORIES = [
  'network-leak',
  'internal-leak-high-bill',
  'meter-check',
  'no-water',
  'sewage-overflow',
  'water-quality',
  'new-connection',
] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export interface Ticket {
  category: TicketCategory;
  description: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  status: 'open' | 'in-progress' | 'resolved' | 'closed';
  intakeChannel: 'call-centre' | 'app' | 'web' | 'branch';
  /** ISO 8601 */
  createdAt: string;
}

export interface CanaryIdentity {
  persona: Persona;
  ticket: Ticket;
}

/**
 * What makes one planting of a canary distinguishable from its other plantings: a spelling of the
 * name, a wording of the ticket, a reference number. Recorded with the planting.
 */
export interface PlantingVariant {
  index: number;
  fullName: string;
  fullNameLatin?: string;
  description: string;
  reference: string;
}
