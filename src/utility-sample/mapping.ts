// How a canary is written into the sample utility schema (and into the same schema on PostgreSQL
// or MySQL): the built-in mapping of the embedded target, and a worked example for a targets file.
import { sqlMapping, type SqlMapping } from '../planting/settings.ts';

export interface UtilityMappingOptions {
  /** 'iso' keeps the ticket's zoned time (TEXT, TIMESTAMPTZ); 'local-datetime' suits DATETIME columns. */
  timestamps?: 'iso' | 'local-datetime';
}

/** The mapping as it would be written in a targets file (JSON). */
export function utilityMappingJson(o: UtilityMappingOptions = {}) {
  const local = o.timestamps === 'local-datetime' ? ' | local-datetime' : '';
  const at = `ticket.createdAt${local}`;
  return {
    tables: [
      {
        table: 'customers', key: 'customer_id', generated: true, perCanary: true,
        columns: {
          full_name: 'persona.fullName', full_name_latin: 'persona.fullNameLatin', national_id: 'persona.nationalId',
          mobile: 'persona.phone.national', landline: 'persona.landline.national', created_at: `persona.openedAt${local}`,
        },
        unique: ['national_id', 'mobile'], lookup: ['mobile'],
      },
      {
        table: 'premises', key: 'premise_id', perCanary: true,
        columns: {
          premise_id: 'persona.premiseId', building_number: 'persona.address.buildingNumber', street: 'persona.address.street',
          district: 'persona.address.district', city: 'persona.address.city', region_code: 'persona.address.state',
          postal_code: 'persona.address.postalCode ?? persona.address.zip', additional_number: 'persona.address.additionalNumber',
          short_address: 'persona.address.shortAddress',
        },
        unique: ['premise_id'],
      },
      {
        table: 'accounts', key: 'account_number', perCanary: true,
        columns: {
          account_number: 'persona.accountNumber', customer_id: 'ref.customers.customer_id', premise_id: 'ref.premises.premise_id',
          opened_at: 'persona.openedAt | date',
        },
        unique: ['account_number'],
      },
      {
        table: 'meters', key: 'meter_serial', perCanary: true,
        columns: {
          meter_serial: 'persona.meterSerial', premise_id: 'ref.premises.premise_id', meter_type: "'residential'",
          installed_at: 'persona.openedAt | date',
        },
        unique: ['meter_serial'],
      },
      {
        table: 'service_tickets', key: 'ticket_id', generated: true,
        columns: {
          account_number: 'ref.accounts.account_number', contact_name: 'variant.fullName', contact_phone: 'persona.phone.national',
          category: 'ticket.category', description: 'variant.description', priority: 'ticket.priority', status: 'ticket.status',
          intake_channel: 'ticket.intakeChannel', assigned_queue: 'routing.queue', reference: 'variant.reference', created_at: at,
        },
        lookup: ['reference'], volatile: ['status'],
      },
    ],
    ticketTable: 'service_tickets',
    routingChecks: [{ routing: 'queue', table: 'service_tickets', column: 'assigned_queue' }],
    withdraw: { mode: 'delete' as const },
  };
}

export const utilityMapping = (o: UtilityMappingOptions = {}): SqlMapping => sqlMapping.parse(utilityMappingJson(o));
