import type { Channel } from '../channels/channels.ts';
import { createIdentityGenerator } from '../identities/index.ts';
import type { CanaryIdentity, Locale, PlantingVariant } from '../identities/types.ts';
import type { SqlDriver } from '../planting/sql/driver.ts';
import { SqlTarget } from '../planting/sql/target.ts';
import { utilityMapping, type UtilityMappingOptions } from './mapping.ts';
import { SAMPLE_QUEUES } from './schema.ts';
import { insertCustomerWithTicket, type UtilityDb } from './sample-target.ts';

/** A utility's history: eighteen months of complaints, from customers who opened accounts over decades. */
export const SAMPLE_HISTORY_DAYS = 540;

export interface HistoryOptions {
  seed?: number;
  /** The end of the history (default: now). Tests move it to interleave real rows with canaries. */
  now?: Date;
  /** How far back tickets go (default SAMPLE_HISTORY_DAYS). */
  days?: number;
}

type Drawn = CanaryIdentity & { variant: PlantingVariant; queue: string };

/**
 * Ordinary customers and their complaints, drawn by the same generator as canaries (over months
 * instead of days), in the order a CIS would have written them: oldest ticket first, so keys rise
 * with time as they do in a real system.
 */
export function drawHistory(count: number, locale: Locale, o: HistoryOptions = {}): Drawn[] {
  const now = o.now ?? new Date();
  const generator = createIdentityGenerator({ locale, seed: o.seed, ticketWindowDays: o.days ?? SAMPLE_HISTORY_DAYS, now: () => now });
  const drawn = Array.from({ length: count }, (_, i) => {
    const identity = generator.next();
    return { ...identity, variant: generator.variants(identity, 1)[0]!, queue: SAMPLE_QUEUES[i % SAMPLE_QUEUES.length]! };
  });
  return drawn.sort((a, b) => Date.parse(a.ticket.createdAt) - Date.parse(b.ticket.createdAt));
}

/**
 * Fills an empty sample utility database with ordinary customers and their complaints, made by the
 * same generators as the canaries, so a canary is one more look-alike among them.
 * Returns the number of customers written (0 when the database already had customers).
 */
export function fillSampleUtility(db: UtilityDb, count: number, locale: Locale, seed?: number | HistoryOptions): number {
  const existing = db.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  if (existing > 0) return 0;
  appendSampleHistory(db, count, locale, typeof seed === 'number' ? { seed } : seed);
  return count;
}

/** Adds ordinary customers and tickets whatever the database holds (tests grow history between plantings). */
export function appendSampleHistory(db: UtilityDb, count: number, locale: Locale, o: HistoryOptions = {}): void {
  const rows = drawHistory(count, locale, o);
  db.transaction(() => {
    for (const { persona, ticket, variant, queue } of rows) {
      insertCustomerWithTicket(db, persona, ticket, { contactName: persona.fullName, description: ticket.description, reference: variant.reference, queue });
    }
  })();
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
  o: UtilityMappingOptions & HistoryOptions = {},
): Promise<void> {
  const seeder = new SqlTarget('utility-seed', driver, { ...utilityMapping(o), routingChecks: [] });
  const channel = (queue: string): Channel => ({
    id: 'seed', name: 'ordinary intake', kind: 'other', description: '', dimensions: {}, target: seeder.name,
    routing: { queue }, feeds: [], createdAt: new Date(0).toISOString(), archivedAt: null,
  });
  const requests = drawHistory(count, locale, o).map(({ queue, ...r }) => ({ ...r, channel: channel(queue) }));
  for (let at = 0; at < requests.length; at += 500) await seeder.plantBatch(requests.slice(at, at + 500));
}
