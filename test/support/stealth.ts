// Utilities that keep running while canaries are planted: real tickets keep arriving between
// plantings, as they would in production, so an audit compares canaries with the real rows of
// their own days. Canaries go in a few at a time (drip-fed), each planting among fresh real rows.
import type { Locale } from '../../src/identities/types.ts';
import { formatInZone } from '../../src/identities/clock.ts';
import { drawHistory } from '../../src/utility-sample/fill.ts';
import { seeded } from '../../src/planting/profile/shaper.ts';
import { seedFrom } from '../../src/identities/random.ts';
import type { SqlDriver } from '../../src/planting/sql/driver.ts';
import { SqlTarget } from '../../src/planting/sql/target.ts';
import { sqlMapping } from '../../src/planting/settings.ts';
import type { Channel } from '../../src/channels/channels.ts';
import { insertCustomerWithTicket, type UtilityDb } from '../../src/utility-sample/sample-target.ts';
import type { TestApp } from './app.ts';

export type Drawn = ReturnType<typeof drawHistory>[number];

const HOUR = 3600_000;

/**
 * n real tickets created between from and to (uniformly, in key order), from customers of any age.
 * taken: the ids this utility already holds.
 */
export function realSlot(n: number, locale: Locale, from: number, to: number, seed: number, taken: Set<string>): Drawn[] {
  // Separate generators know nothing of each other's ids: a repeat is dropped, as a CIS would refuse it.
  const rows = drawHistory(n, locale, { seed, now: new Date(to), days: 2 }).filter((r) => fresh(r, taken));
  const rnd = seeded(seed);
  const times = Array.from({ length: rows.length }, () => from + rnd() * (to - from)).sort((a, b) => a - b);
  return rows.map((r, i) => ({ ...r, ticket: { ...r.ticket, createdAt: formatInZone(Math.floor(times[i]! / 1000) * 1000, 'Asia/Riyadh') } }));
}

function fresh(r: Drawn, taken: Set<string>): boolean {
  const keys = [r.persona.accountNumber, r.persona.meterSerial, r.persona.premiseId, r.persona.nationalId ?? '', r.persona.phone.e164];
  if (keys.some((k) => taken.has(k))) return false;
  for (const k of keys) taken.add(k);
  return true;
}

/** Working hours in Riyadh, one slot after another: Sunday to Thursday, 08:00 to 17:00 local. */
export function* workingSlots(start: Date, hours: number, open = 8, close = 17): Generator<[number, number]> {
  let t = start.getTime();
  for (;;) {
    const local = new Date(t + 3 * HOUR);
    const h = local.getUTCHours();
    if (![0, 1, 2, 3, 4].includes(local.getUTCDay()) || h >= close) {
      t = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1, open) - 3 * HOUR;
      continue;
    }
    if (h < open) {
      t = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), open) - 3 * HOUR;
      continue;
    }
    const end = Math.min(t + hours * HOUR, Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), close) - 3 * HOUR);
    yield [t, end];
    t = end;
  }
}

export function sampleWriter(db: UtilityDb) {
  // Each customer in its own savepoint: one whose ids a canary already took is refused whole, as a CIS would.
  const one = db.transaction(({ persona, ticket, variant, queue }: Drawn) =>
    insertCustomerWithTicket(db, persona, ticket, { contactName: persona.fullName, description: ticket.description, reference: variant.reference, queue }));
  return async (rows: Drawn[]) => {
    db.transaction(() => {
      for (const r of rows) {
        try {
          one(r);
        } catch (err) {
          if (!/UNIQUE/.test(String(err))) throw err;
        }
      }
    })();
  };
}

/** Writes real rows through the SQL connector with a mapping of the test's choosing (no profile). */
export function sqlWriter(driver: SqlDriver, mapping: unknown, transform: (r: Drawn) => Drawn) {
  const seeder = new SqlTarget('real-intake', driver, { ...sqlMapping.parse(mapping), routingChecks: [] });
  const channel = (queue: string): Channel => ({
    id: 'real', name: 'real intake', kind: 'other', description: '', dimensions: {}, target: 'real-intake', routing: { queue }, feeds: [], createdAt: new Date(0).toISOString(), archivedAt: null,
  });
  return async (rows: Drawn[]) => {
    const requests = rows.map(transform).map(({ queue, ...r }) => ({ ...r, channel: channel(queue) }));
    const refused = (err: unknown) => (err as { code?: string }).code === 'target-constraint';
    for (let at = 0; at < requests.length; at += 500) {
      const batch = requests.slice(at, at + 500);
      try {
        await seeder.plantBatch(batch);
      } catch (err) {
        if (!refused(err)) throw err;
        // A canary planted meanwhile holds one of these ids (a batch is refused whole): the rest go one
        // by one and the clashing customer is dropped, as the real system would refuse it.
        for (const r of batch) {
          try {
            await seeder.plantBatch([r]);
          } catch (e) {
            if (!refused(e)) throw e;
          }
        }
      }
    }
  };
}

/**
 * Plants `canaries` canaries one at a time, at random moments of working hours, as a drip-fed
 * campaign would: real tickets keep arriving before and after each one, and the tracer's clock
 * stands at the moment the canary is planted. Returns how many real tickets were written meanwhile.
 */
export async function dripFeed(o: {
  app: TestApp; channelId: string; canaries: number; perSlot: number; realPerSlot: number; start: Date; slotHours: number;
  writeReal: (rows: Drawn[]) => Promise<void>;
  /** The utility's office hours, Riyadh time (default 08:00–17:00). */
  hours?: [number, number];
}): Promise<number> {
  // The ids this utility holds: another test's utility is another system, its customers are no repeat here.
  const taken = new Set<string>();
  let real = 0;
  const slots = workingSlots(o.start, o.slotHours, ...(o.hours ?? [8, 17]));
  let slot = 0;
  const seed = () => seedFrom('stealth-slot', slot++);
  for (let planted = 0; planted < o.canaries;) {
    const [from, to] = slots.next().value as [number, number];
    const rnd = seeded(seed());
    const k = Math.min(o.perSlot, o.canaries - planted);
    const cuts = [...Array.from({ length: k }, () => from + rnd() * (to - from)).sort((a, b) => a - b), to];
    let at = from;
    for (const [i, cut] of cuts.entries()) {
      const share = Math.round((o.realPerSlot * (cut - at)) / (to - from));
      const rows = share > 0 ? realSlot(share, 'ar-SA', at, cut, seed(), taken) : [];
      if (rows.length) await o.writeReal(rows);
      real += rows.length;
      at = cut;
      if (i === k) break;
      o.app.clock.set(new Date(cut).toISOString());
      await o.app.services.canaries.create({ channelIds: [o.channelId], count: 1 });
      planted++;
    }
  }
  return real;
}
