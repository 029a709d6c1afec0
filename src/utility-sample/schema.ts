// The sample utility's customer-information schema: what a water utility's CIS typically holds.
// Canaries are written into the same tables as everyone else, with no column that could mark them.
export const UTILITY_SCHEMA = `
  CREATE TABLE IF NOT EXISTS customers (
    customer_id INTEGER PRIMARY KEY AUTOINCREMENT,
    full_name TEXT NOT NULL,
    full_name_latin TEXT,
    national_id TEXT UNIQUE,
    mobile TEXT NOT NULL,
    landline TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS premises (
    premise_id TEXT PRIMARY KEY,
    building_number TEXT,
    street TEXT NOT NULL,
    district TEXT,
    city TEXT NOT NULL,
    region_code TEXT,
    postal_code TEXT NOT NULL,
    additional_number TEXT,
    short_address TEXT
  );
  CREATE TABLE IF NOT EXISTS accounts (
    account_number TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(customer_id),
    premise_id TEXT NOT NULL REFERENCES premises(premise_id),
    status TEXT NOT NULL DEFAULT 'active',
    opened_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS meters (
    meter_serial TEXT PRIMARY KEY,
    premise_id TEXT NOT NULL REFERENCES premises(premise_id),
    meter_type TEXT NOT NULL,
    installed_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS service_tickets (
    ticket_id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_number TEXT NOT NULL REFERENCES accounts(account_number),
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    intake_channel TEXT NOT NULL,
    assigned_queue TEXT NOT NULL,
    reference TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS service_tickets_account ON service_tickets(account_number);
  CREATE INDEX IF NOT EXISTS customers_mobile ON customers(mobile);
`;

/** Queues a real complaint is routed to in the sample utility; channels name one of them. */
export const SAMPLE_QUEUES = ['CC-DAY', 'CC-NIGHT', 'FIELD-OPS', 'BILLING', 'NETWORK-MAINT', 'CONTRACTOR-EXPORT'];
