import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Persona, Ticket } from '../identities/types.ts';
import type { PlantingRequest, PlantingTarget } from '../planting/target.ts';
import { AppError } from '../errors.ts';
import { UTILITY_SCHEMA } from './schema.ts';

export type UtilityDb = Database.Database;

export function openUtilityDb(file: string): UtilityDb {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(UTILITY_SCHEMA);
  return db;
}

const DEFAULT_QUEUE_BY_KIND: Record<string, string> = {
  'call-centre-vendor': 'CC-DAY',
  crm: 'BILLING',
  'work-order-feed': 'FIELD-OPS',
  'contractor-export': 'CONTRACTOR-EXPORT',
  'staff-group': 'NETWORK-MAINT',
  other: 'CC-DAY',
};

/**
 * The queue a real ticket on this channel's path carries: the channel's routing.queue, else the
 * usual queue for its kind. Only queues real tickets already use are accepted, so a canary never
 * stands out by its routing.
 */
export function queueFor(db: UtilityDb, channel: PlantingRequest['channel']): string {
  const night = /night/i.test(channel.dimensions.shift ?? '');
  const queue = channel.routing.queue ?? (channel.kind === 'call-centre-vendor' && night ? 'CC-NIGHT' : DEFAULT_QUEUE_BY_KIND[channel.kind]!);
  const known = db.prepare('SELECT 1 FROM service_tickets WHERE assigned_queue = ? LIMIT 1').get(queue);
  if (!known) {
    throw new AppError('unknown-routing', `target utility-sample: no real ticket uses queue "${queue}" (channel "${channel.name}")`, 400);
  }
  return queue;
}

function premiseValues(p: Persona) {
  const a = p.address as unknown as Record<string, string | undefined>;
  return {
    premiseId: p.premiseId,
    buildingNumber: a.buildingNumber ?? null,
    street: a.street!,
    district: a.district ?? null,
    city: a.city!,
    regionCode: a.state ?? null,
    postalCode: a.postalCode ?? a.zip!,
    additionalNumber: a.additionalNumber ?? null,
    shortAddress: a.shortAddress ?? null,
  };
}

/** Writes a customer, premise, account and meter, plus one ticket, exactly as ordinary ones are written. */
export function insertCustomerWithTicket(
  db: UtilityDb,
  persona: Persona,
  ticket: Ticket,
  t: { contactName: string; description: string; reference: string; queue: string },
): number {
  const existing = db.prepare('SELECT 1 FROM accounts WHERE account_number = ?').get(persona.accountNumber);
  if (!existing) {
    const customerId = db
      .prepare(
        `INSERT INTO customers (full_name, full_name_latin, national_id, mobile, landline, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(persona.fullName, persona.fullNameLatin ?? null, persona.nationalId ?? null, persona.phone.national,
        persona.landline?.national ?? null, ticket.createdAt).lastInsertRowid;
    db.prepare(
      `INSERT INTO premises (premise_id, building_number, street, district, city, region_code, postal_code,
         additional_number, short_address)
       VALUES (@premiseId, @buildingNumber, @street, @district, @city, @regionCode, @postalCode, @additionalNumber, @shortAddress)`,
    ).run(premiseValues(persona));
    db.prepare('INSERT INTO accounts (account_number, customer_id, premise_id, opened_at) VALUES (?, ?, ?, ?)')
      .run(persona.accountNumber, customerId, persona.premiseId, ticket.createdAt.slice(0, 10));
    db.prepare('INSERT INTO meters (meter_serial, premise_id, meter_type, installed_at) VALUES (?, ?, ?, ?)')
      .run(persona.meterSerial, persona.premiseId, 'residential', ticket.createdAt.slice(0, 10));
  }
  return Number(
    db
      .prepare(
        `INSERT INTO service_tickets (account_number, contact_name, contact_phone, category, description, priority,
           status, intake_channel, assigned_queue, reference, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(persona.accountNumber, t.contactName, persona.phone.national, ticket.category, t.description,
        ticket.priority, ticket.status, ticket.intakeChannel, t.queue, t.reference, ticket.createdAt).lastInsertRowid,
  );
}

/**
 * The embedded default target: the sample utility database. Each planting is one transaction
 * across customer, premise, account, meter and ticket; the ticket id is the external reference.
 */
export class SampleUtilityTarget implements PlantingTarget {
  readonly name = 'utility-sample';

  constructor(private readonly db: UtilityDb) {}

  async plant(r: PlantingRequest): Promise<{ externalRef: string }> {
    const ticketId = this.db.transaction(() =>
      insertCustomerWithTicket(this.db, r.persona, r.ticket, {
        contactName: r.variant.fullName,
        description: r.variant.description,
        reference: r.variant.reference,
        queue: queueFor(this.db, r.channel),
      }),
    )();
    return { externalRef: String(ticketId) };
  }

  async collides({ persona }: { persona: Persona }): Promise<boolean> {
    const hit = this.db
      .prepare(
        `SELECT 1 FROM accounts WHERE account_number = @account
         UNION ALL SELECT 1 FROM premises WHERE premise_id = @premise
         UNION ALL SELECT 1 FROM meters WHERE meter_serial = @meter
         UNION ALL SELECT 1 FROM customers WHERE national_id = @nationalId
         LIMIT 1`,
      )
      .get({ account: persona.accountNumber, premise: persona.premiseId, meter: persona.meterSerial, nationalId: persona.nationalId ?? null });
    return hit !== undefined;
  }

  async withdraw(externalRef: string): Promise<void> {
    this.db.transaction(() => {
      const account = this.db
        .prepare('SELECT account_number FROM service_tickets WHERE ticket_id = ?')
        .pluck()
        .get(Number(externalRef)) as string | undefined;
      if (!account) return;
      this.db.prepare('DELETE FROM service_tickets WHERE ticket_id = ?').run(Number(externalRef));
      const others = this.db.prepare('SELECT count(*) FROM service_tickets WHERE account_number = ?').pluck().get(account);
      if (others !== 0) return;
      const acc = this.db.prepare('SELECT customer_id, premise_id FROM accounts WHERE account_number = ?').get(account) as
        | { customer_id: number; premise_id: string }
        | undefined;
      if (!acc) return;
      this.db.prepare('DELETE FROM meters WHERE premise_id = ?').run(acc.premise_id);
      this.db.prepare('DELETE FROM accounts WHERE account_number = ?').run(account);
      this.db.prepare('DELETE FROM premises WHERE premise_id = ?').run(acc.premise_id);
      this.db.prepare('DELETE FROM customers WHERE customer_id = ?').run(acc.customer_id);
    })();
  }

  close(): void {
    this.db.close();
  }
}
