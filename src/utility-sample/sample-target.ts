import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Persona, Ticket } from '../identities/types.ts';
import type { Channel } from '../channels/channels.ts';
import { SAMPLE_TARGET } from '../planting/settings.ts';
import { SqlTarget } from '../planting/sql/target.ts';
import { SqliteDriver } from '../planting/sql/sqlite.ts';
import { utilityMapping } from './mapping.ts';
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
 * The queue a real ticket on this channel's path carries when the channel names none: the usual
 * queue for its kind. The SQL connector then accepts only queues real tickets already use, so a
 * canary never stands out by its routing.
 */
export function sampleRouting(channel: Channel): Record<string, string> {
  const night = /night/i.test(typeof channel.dimensions.shift === 'string' ? channel.dimensions.shift : '');
  return { queue: channel.kind === 'call-centre-vendor' && night ? 'CC-NIGHT' : DEFAULT_QUEUE_BY_KIND[channel.kind]! };
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
        persona.landline?.national ?? null, persona.openedAt).lastInsertRowid;
    db.prepare(
      `INSERT INTO premises (premise_id, building_number, street, district, city, region_code, postal_code,
         additional_number, short_address)
       VALUES (@premiseId, @buildingNumber, @street, @district, @city, @regionCode, @postalCode, @additionalNumber, @shortAddress)`,
    ).run(premiseValues(persona));
    db.prepare('INSERT INTO accounts (account_number, customer_id, premise_id, opened_at) VALUES (?, ?, ?, ?)')
      .run(persona.accountNumber, customerId, persona.premiseId, persona.openedAt.slice(0, 10));
    db.prepare('INSERT INTO meters (meter_serial, premise_id, meter_type, installed_at) VALUES (?, ?, ?, ?)')
      .run(persona.meterSerial, persona.premiseId, 'residential', persona.openedAt.slice(0, 10));
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
 * The embedded default target: the sample utility database, written through the same SQL
 * connector as a real utility's (built-in mapping): one transaction across customer, premise,
 * account, meter and ticket; the ticket id is the external reference.
 */
export class SampleUtilityTarget extends SqlTarget {
  constructor(db: UtilityDb, clock?: () => Date) {
    super(SAMPLE_TARGET, new SqliteDriver(db, true), utilityMapping(), { routingFor: sampleRouting, clock });
  }
}
