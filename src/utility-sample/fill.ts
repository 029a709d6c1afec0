import type { Channel } from '../channels/channels.ts';
import { createIdentityGenerator } from '../identities/index.ts';
import type { SqlDriver } from '../planting/sql/driver.ts';
import { SqlTarget } from '../planting/sql/target.ts';
import { utilityMapping, type UtilityMappingOptions } from './mapping.ts';
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

/**
 * Fills the utility schema on any SQL database (PostgreSQL, MySQL, SQLite) with ordinary customers
 * and tickets, through the same connector and mapping canaries use. Tests and the bench start
 * their fresh databases with it, so canaries land among look-alikes and queues real tickets use.
 */
export async function fillUtilityDatabase(
  driver: SqlDriver,
  count: number,
  locale: Locale,
  o: UtilityMappingOptions & { seed?: number } = {},
): Promise<void> {
  const seeder = new SqlTarget('utility-seed', driver, { ...utilityMapping(o), routingChecks: [] });
  const generator = createIdentityGenerator({ locale, seed: o.seed });
  for (const [q, queue] of SAMPLE_QUEUES.entries()) {
    const channel: Channel = {
      id: 'seed', name: 'ordinary intake', kind: 'other', description: '', dimensions: {}, target: seeder.name,
      routing: { queue }, feeds: [], createdAt: new Date(0).toISOString(), archivedAt: null,
    };
    const n = Math.floor(count / SAMPLE_QUEUES.length) + (q < count % SAMPLE_QUEUES.length ? 1 : 0);
    const requests = Array.from({ length: n }, () => {
      const identity = generator.next();
      return { ...identity, variant: generator.variants(identity, 1)[0]!, channel };
    });
    for (let at = 0; at < requests.length; at += 500) await seeder.plantBatch(requests.slice(at, at + 500));
  }
}
