import { z } from 'zod';
import type { Db } from '../store/db.ts';
import { AppError, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { isKnownTimeZone, shiftSchedule, type ShiftSchedule } from '../planting/shifts.ts';

export const CHANNEL_KINDS = [
  'call-centre-vendor',
  'crm',
  'work-order-feed',
  'contractor-export',
  'staff-group',
  'other',
] as const;

export const createChannelInput = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(CHANNEL_KINDS),
  description: z.string().max(2000).default(''),
  dimensions: z
    .object({
      system: z.string().max(200).optional(),
      handler: z.string().max(200).optional(),
      /** A label, or a schedule of shifts (src/planting/shifts.ts): each shift then decodes as a channel of its own. */
      shift: z.union([z.string().max(200), shiftSchedule]).optional(),
    })
    .strict()
    .default({}),
  target: z.string().min(1).max(100).default('utility-sample'),
  /** The values that send a real ticket down this channel's path (queue, team, region, contractor). */
  routing: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/), z.string().max(200)).default({}),
});
export type CreateChannelInput = z.input<typeof createChannelInput>;

export interface Channel {
  id: string;
  name: string;
  kind: (typeof CHANNEL_KINDS)[number];
  description: string;
  dimensions: { system?: string; handler?: string; shift?: string | ShiftSchedule };
  target: string;
  routing: Record<string, string>;
  createdAt: string;
}

interface ChannelRow {
  id: string;
  name: string;
  kind: Channel['kind'];
  description: string;
  dimensions: string;
  target: string;
  routing: string;
  created_at: string;
}

const toChannel = (r: ChannelRow): Channel => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  description: r.description,
  dimensions: JSON.parse(r.dimensions),
  target: r.target,
  routing: JSON.parse(r.routing),
  createdAt: r.created_at,
});

export class ChannelRepository {
  constructor(private readonly db: Db) {}

  insert(c: Channel): void {
    this.db
      .prepare(
        `INSERT INTO channels (id, name, kind, description, dimensions, target, routing, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.id, c.name, c.kind, c.description, JSON.stringify(c.dimensions), c.target, JSON.stringify(c.routing), c.createdAt);
  }

  find(id: string): Channel | undefined {
    const row = this.db.prepare('SELECT * FROM channels WHERE id = ?').get(id) as ChannelRow | undefined;
    return row && toChannel(row);
  }

  findByName(name: string): Channel | undefined {
    const row = this.db.prepare('SELECT * FROM channels WHERE name = ?').get(name) as ChannelRow | undefined;
    return row && toChannel(row);
  }

  list(): Channel[] {
    return (this.db.prepare('SELECT * FROM channels ORDER BY created_at, id').all() as ChannelRow[]).map(toChannel);
  }
}

export class ChannelService {
  constructor(
    private readonly repo: ChannelRepository,
    private readonly clock: () => Date,
    private readonly knownTargets: () => string[],
  ) {}

  create(input: CreateChannelInput): Channel {
    const data = createChannelInput.parse(input);
    const shift = data.dimensions.shift;
    if (typeof shift === 'object' && !isKnownTimeZone(shift.timeZone)) {
      throw new AppError('unknown-time-zone', `dimensions.shift.timeZone: "${shift.timeZone}" is not an IANA time zone`, 400);
    }
    if (typeof shift === 'object' && new Set(shift.shifts.map((s) => s.name)).size !== shift.shifts.length) {
      throw new AppError('duplicate-shift', 'dimensions.shift.shifts: each shift needs a name of its own', 400);
    }
    if (!this.knownTargets().includes(data.target)) {
      throw new AppError('unknown-target', `target "${data.target}" is not configured`, 400);
    }
    if (this.repo.findByName(data.name)) {
      throw new AppError('conflict', `a channel named "${data.name}" already exists`, 409);
    }
    const channel: Channel = { id: newId('ch'), ...data, createdAt: this.clock().toISOString() };
    this.repo.insert(channel);
    return channel;
  }

  list(): Channel[] {
    return this.repo.list();
  }

  get(id: string): Channel {
    const c = this.repo.find(id) ?? this.repo.findByName(id);
    if (!c) throw notFound('channel', id);
    return c;
  }
}
