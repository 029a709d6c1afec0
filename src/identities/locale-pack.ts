// Per-locale settings that are not data lists: which phrase pack, which working hours, the
// range of bill amounts a complaint may quote, and how the utility shapes its references.
import { WORKING_HOURS, type WorkingHours } from './clock.ts';
import { AR_SA_PHRASES } from './locales/ar-SA-tickets.ts';
import { EN_US_PHRASES } from './locales/en-US-tickets.ts';
import type { TicketPhrases } from './locales/phrases.ts';
import type { TicketContext } from './tickets.ts';
import type { Locale, Persona, SaudiAddress } from './types.ts';

export interface LocalePack {
  phrases: TicketPhrases;
  hours: WorkingHours;
  amountRange: readonly [number, number];
  /** A ticket reference as the utility's CRM prints it, from year, month and six drawn digits. */
  reference(yy: string, mm: string, digits: string): string;
}

export const LOCALE_PACKS: Record<Locale, LocalePack> = {
  'ar-SA': {
    phrases: AR_SA_PHRASES,
    hours: WORKING_HOURS['ar-SA'],
    amountRange: [450, 3200],
    reference: (yy, mm, digits) => `${yy}${mm}${digits}`,
  },
  'en-US': {
    phrases: EN_US_PHRASES,
    hours: WORKING_HOURS['en-US'],
    amountRange: [160, 940],
    reference: (yy, mm, digits) => `SR-${yy}${mm}-${digits}`,
  },
};

/** What a description may mention about the persona. US tickets name the street, not the house. */
export function ticketContext(persona: Pick<Persona, 'locale' | 'address'>): TicketContext {
  const pack = LOCALE_PACKS[persona.locale];
  if (persona.locale === 'ar-SA') {
    const a = persona.address as SaudiAddress;
    return { street: a.street, district: a.district, city: a.city, amountRange: pack.amountRange };
  }
  const a = persona.address as { street: string; city: string; zip: string };
  const street = a.street.replace(/^\d+\s+/, '').replace(/\s+(Apt|Unit|#).*$/, '');
  return { street, district: a.zip, city: a.city, amountRange: pack.amountRange };
}
