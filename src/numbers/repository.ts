import type { Db } from '../store/db.ts';

export type NumberStatus = 'burn-in' | 'ready' | 'assigned' | 'retired' | 'released';

export interface CanaryNumber {
  id: string;
  phoneNumber: string;
  country: string;
  provider: 'simulated' | 'twilio';
  providerSid: string | null;
  status: NumberStatus;
  isControl: boolean;
  burnInEndsAt: string | null;
  assignedAt: string | null;
  retiredAt: string | null;
  releasedAt: string | null;
  monthlyPrice: number | null;
  currency: string | null;
  createdAt: string;
}

export interface NumberRow {
  id: string;
  phone_number: string;
  country: string;
  provider: 'simulated' | 'twilio';
  provider_sid: string | null;
  status: NumberStatus;
  is_control: number;
  burn_in_ends_at: string | null;
  assigned_at: string | null;
  retired_at: string | null;
  released_at: string | null;
  monthly_price: number | null;
  currency: string | null;
  created_at: string;
}

export const toNumber = (r: NumberRow): CanaryNumber => ({
  id: r.id,
  phoneNumber: r.phone_number,
  country: r.country,
  provider: r.provider,
  providerSid: r.provider_sid,
  status: r.status,
  isControl: r.is_control === 1,
  burnInEndsAt: r.burn_in_ends_at,
  assignedAt: r.assigned_at,
  retiredAt: r.retired_at,
  releasedAt: r.released_at,
  monthlyPrice: r.monthly_price,
  currency: r.currency,
  createdAt: r.created_at,
});

export class NumberRepository {
  private readonly byPhoneStmt;

  constructor(private readonly db: Db) {
    this.byPhoneStmt = db.prepare('SELECT * FROM canary_numbers WHERE phone_number = ?');
  }

  insert(n: CanaryNumber): void {
    this.db
      .prepare(
        `INSERT INTO canary_numbers (id, phone_number, country, provider, provider_sid, status, is_control,
           burn_in_ends_at, assigned_at, retired_at, released_at, monthly_price, currency, created_at)
         VALUES (@id, @phoneNumber, @country, @provider, @providerSid, @status, @isControl,
           @burnInEndsAt, @assignedAt, @retiredAt, @releasedAt, @monthlyPrice, @currency, @createdAt)`,
      )
      .run({ ...n, isControl: n.isControl ? 1 : 0 });
  }

  findByPhone(phone: string): CanaryNumber | undefined {
    const row = this.byPhoneStmt.get(phone) as NumberRow | undefined;
    return row && toNumber(row);
  }

  find(id: string): CanaryNumber | undefined {
    const row = this.db.prepare('SELECT * FROM canary_numbers WHERE id = ?').get(id) as NumberRow | undefined;
    return row && toNumber(row);
  }

  list(): CanaryNumber[] {
    return (this.db.prepare('SELECT * FROM canary_numbers ORDER BY created_at, id').all() as NumberRow[]).map(toNumber);
  }

  /** A ready number of the country that is not a control and has never been assigned. */
  takeReady(country: string): CanaryNumber | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM canary_numbers
         WHERE country = ? AND status = 'ready' AND is_control = 0 AND assigned_at IS NULL
         ORDER BY random() LIMIT 1`,
      )
      .get(country) as NumberRow | undefined;
    return row && toNumber(row);
  }

  markAssigned(id: string, at: string): void {
    const r = this.db
      .prepare(`UPDATE canary_numbers SET status = 'assigned', assigned_at = ? WHERE id = ? AND assigned_at IS NULL`)
      .run(at, id);
    if (r.changes !== 1) throw new Error(`number ${id} was already assigned`);
  }

  deleteUnused(id: string): void {
    this.db.prepare('DELETE FROM canary_numbers WHERE id = ? AND id NOT IN (SELECT number_id FROM canaries)').run(id);
  }

  phonesInRange(from: string, to: string): Set<string> {
    return new Set(
      this.db
        .prepare('SELECT phone_number FROM canary_numbers WHERE phone_number BETWEEN ? AND ?')
        .pluck()
        .all(from, to) as string[],
    );
  }
}
