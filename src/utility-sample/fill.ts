import { createIdentityGenerator } from '../identities/index.ts';
import type { Locale } from '../identities/types.ts';
import { SAMPLE_QUEUES } from './schema.ts';
import { insertCustomerWithTicket, type UtilityDb } from './sample-target.ts';

/**
 * Fills an empty sample utility database with ordinary customers and their complaints, made by the
 * same generators as the canaries, so a canary is one more look-alike among them.
 * Returns the number of customers written (0 when the database already had customers).
 */
export function fillSampleUtility(db: UtilityDb, count: number, locale: Locale, seed?: number): number {
  const existing = db.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  if (existing > 0) return 0;
  const generator = createIdentityGenerator({ locale, seed });
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const identity = generator.next();
      const [variant] = generator.variants(identity, 1);
      const { persona, ticket } = identity;
      insertCustomerWithTicket(db, persona, ticket, {
        contactName: persona.fullName,
        description: ticket.description,
        reference: variant!.reference,
        queue: SAMPLE_QUEUES[i % SAMPLE_QUEUES.length]!,
      });
    }
  })();
  return count;
}
