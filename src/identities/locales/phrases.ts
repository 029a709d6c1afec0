// The shape of a locale's complaint wording. A description is composed from one opening and
// optional fragments, so the same complaint can be worded many ways (and reworded per planting).
import type { TicketCategory } from '../types.ts';

export type Voice = 'customer' | 'agent';

export interface CategoryPhrases {
  openings: Record<Voice, readonly string[]>;
  /** Where, how bad, what exactly: may use {street}, {district}, {city}, {amount}, {floor}. */
  details: Record<Voice, readonly string[]>;
  /** What the customer already tried, told in that voice. */
  tried: Record<Voice, readonly string[]>;
  /** Whether "since yesterday"-style durations make sense for this complaint. */
  timed: boolean;
}

export interface TicketPhrases {
  categories: Record<TicketCategory, CategoryPhrases>;
  durations: Record<Voice, readonly string[]>;
  contact: Record<Voice, readonly string[]>;
  /** Separators between fragments; customers and agents punctuate differently. */
  joiners: Record<Voice, readonly string[]>;
  endings: Record<Voice, readonly string[]>;
}
