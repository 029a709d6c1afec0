import { z } from 'zod';
import type { Db } from '../store/db.ts';
import { AppError, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { findCycle } from './flows.ts';
import { staffLine, staffName, staffText } from '../text/unicode.ts';
import { isKnownTimeZone, shiftSchedule, type ShiftSchedule } from '../planting/shifts.ts';

export const CHANNEL_KINDS = [
  'call-centre-vendor',
  'crm',
  'work-order-feed',
  'contractor-export',
  'staff-group',
  'other',
] as const;

const dimensions = z
  .object({
    system: staffName(200).optional(),
    handler: staffName(200).optional(),
    /** A label, or a schedule of shifts (src/planting/shifts.ts): each shift then decodes as a channel of its own. */
    shift: z.union([staffName(200), shiftSchedule]).optional(),
  })
  .strict();
/** The values that send a real ticket down this channel's path (queue, team, region, contractor). */
const routing = z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/), staffLine(200));
/** A flow: what this channel sees, the downstream channel sees too, after a delay (a CRM feeding a contractor export). */
const feed = z.strictObject({ channelId: z.string().min(1).max(100), delayMinutes: z.number().int().min(0).max(525_600).optional() });
const feeds = z.array(feed).max(50);

export const createChannelInput = z.strictObject({
  name: staffName(200),
  kind: z.enum(CHANNEL_KINDS),
  description: staffText(2000).default(''),
  dimensions: dimensions.default({}),
  target: z.string().min(1).max(100).default('utility-sample'),
  routing: routing.default({}),
  feeds: feeds.default([]),
});
export type CreateChannelInput = z.input<typeof createChannelInput>;

/** What can change on a channel once made; its kind and target stay (its plantings were written there). */
export const updateChannelInput = z.strictObject({
  name: staffName(200).optional(),
  description: staffText(2000).optional(),
  dimensions: dimensions.optional(),
  routing: routing.optional(),
  feeds: feeds.optional(),
});
export type UpdateChannelInput = z.input<typeof updateChannelInput>;

export type Feed = z.output<typeof feed>;

export interface Channel {
  id: string;
  name: string;
  kind: (typeof CHANNEL_KINDS)[number];
  description: string;
  dimensions: { system?: string; handler?: string; shift?: string | ShiftSchedule };
  target: string;
  routing: Record<string, string>;
  /** Downstream channels this one passes its tickets to (attribution reads them as exposures). */
  feeds: Feed[];
  createdAt: string;
  /** Archived: kept for the report and the evidence, planted into no more. */
  archivedAt: string | null;
}

interface ChannelRow {
  id: string;
  name: string;
  kind: Channel['kind'];
  description: string;
  dimensions: string;
  target: string;
  routing: string;
  feeds: string;
  created_at: string;
  archived_at: string | null;
}

const toChannel = (r: ChannelRow): Channel => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  description: r.description,
  dimensions: JSON.parse(r.dimensions),
  target: r.target,
  routing: JSON.parse(r.routing),
  feeds: JSON.parse(r.feeds ?? '[]'),
  createdAt: r.created_at,
  archivedAt: r.archived_at ?? null,
});

export class ChannelRepository {
  constructor(private readonly db: Db) {}

  insert(c: Channel): void {
    this.db
      .prepare(
        `INSERT INTO channels (id, name, kind, description, dimensions, target, routing, feeds, created_at, archived_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.id, c.name, c.kind, c.description, JSON.stringify(c.dimensions), c.target, JSON.stringify(c.routing),
        JSON.stringify(c.feeds), c.createdAt, c.archivedAt);
  }

  update(c: Channel): void {
    this.db
      .prepare('UPDATE channels SET name = ?, description = ?, dimensions = ?, routing = ?, feeds = ?, archived_at = ? WHERE id = ?')
      .run(c.name, c.description, JSON.stringify(c.dimensions), JSON.stringify(c.routing), JSON.stringify(c.feeds), c.archivedAt, c.id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM channels WHERE id = ?').run(id);
  }

  find(id: string): Channel | undefined {
    const row = this.db.prepare('SELECT * FROM channels WHERE id = ?').get(id) as ChannelRow | undefined;
    return row && toChannel(row);
  }

  findByName(name: string): Channel | undefined {
    const row = this.db.prepare('SELECT * FROM channels WHERE name = ?').get(name) as ChannelRow | undefined;
    return row && toChannel(row);
  }

  list(o: { includeArchived?: boolean } = {}): Channel[] {
    return (this.db.prepare('SELECT * FROM channels WHERE (? OR archived_at IS NULL) ORDER BY created_at, id').all(o.includeArchived ? 1 : 0) as ChannelRow[])
      .map(toChannel);
  }

  /** Plantings ever made into the channel, whatever became of them. */
  plantingCount(id: string): number {
    return this.db.prepare('SELECT count(*) FROM plantings WHERE channel_id = ?').pluck().get(id) as number;
  }

  /** Channels whose flows lead into this one. */
  feedersOf(id: string): Channel[] {
    return this.list({ includeArchived: true }).filter((c) => c.feeds.some((f) => f.channelId === id));
  }

  /** Refuses a channel that takes no new plantings. Planting code calls this before writing anything. */
  assertPlantable(c: Pick<Channel, 'id' | 'name' | 'archivedAt'>): void {
    if (c.archivedAt) {
      throw new AppError('channel-archived', `channel "${c.name}" was archived on ${c.archivedAt}: it takes no new plantings`, 409);
    }
  }
}

/** Where a channel's changes are recorded: flows and archiving change what attribution may conclude. */
export interface ChannelRecorder {
  record(at: string, kind: 'channel-changed' | 'channel-archived' | 'channel-deleted', channelId: string, payload: unknown, write: () => void): void;
}

export class ChannelService {
  constructor(
    private readonly repo: ChannelRepository,
    private readonly clock: () => Date,
    private readonly knownTargets: () => string[],
    private readonly recorder: ChannelRecorder = { record: (_at, _kind, _id, _payload, write) => write() },
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
    const channel: Channel = { id: newId('ch'), ...data, createdAt: this.clock().toISOString(), archivedAt: null };
    this.checkFeeds(channel);
    this.repo.insert(channel);
    return channel;
  }

  /** Description, routing, dimensions, name and flows; kind and target stay. */
  update(id: string, input: UpdateChannelInput): Channel {
    const patch = updateChannelInput.parse(input);
    const current = this.get(id);
    if (patch.name && patch.name !== current.name && this.repo.findByName(patch.name)) {
      throw new AppError('conflict', `a channel named "${patch.name}" already exists`, 409);
    }
    const next: Channel = { ...current, ...patch };
    this.checkFeeds(next);
    const changed = Object.fromEntries(Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined)
      .map((k) => [k, { was: current[k as keyof Channel], now: next[k as keyof Channel] }]));
    this.recorder.record(this.clock().toISOString(), 'channel-changed', current.id, changed, () => this.repo.update(next));
    return next;
  }

  /** Kept for the report and the evidence; refuses new plantings from now on. */
  archive(id: string): Channel {
    const c = this.get(id);
    if (c.archivedAt) throw new AppError('conflict', `channel "${c.name}" is already archived (since ${c.archivedAt})`, 409);
    const next = { ...c, archivedAt: this.clock().toISOString() };
    this.recorder.record(next.archivedAt, 'channel-archived', c.id, { name: c.name }, () => this.repo.update(next));
    return next;
  }

  /** Only a channel nothing was ever planted into, and that no flow leads into, may go. */
  remove(id: string): Channel {
    const c = this.get(id);
    const planted = this.repo.plantingCount(c.id);
    if (planted > 0) {
      throw new AppError('channel-in-use', `channel "${c.name}" has ${planted} planting(s): its history is evidence; archive it instead`, 409);
    }
    const feeders = this.repo.feedersOf(c.id);
    if (feeders.length) {
      throw new AppError('channel-in-use', `channel "${c.name}" is fed by ${feeders.map((f) => `"${f.name}"`).join(', ')}: remove those flows first`, 409);
    }
    this.recorder.record(this.clock().toISOString(), 'channel-deleted', c.id, { name: c.name, kind: c.kind, target: c.target }, () => this.repo.delete(c.id));
    return c;
  }

  list(o: { includeArchived?: boolean } = {}): Channel[] {
    return this.repo.list(o);
  }

  get(id: string): Channel {
    const c = this.repo.find(id) ?? this.repo.findByName(id);
    if (!c) throw notFound('channel', id);
    return c;
  }

  /** See ChannelRepository.assertPlantable: the lead's planting code calls either. */
  assertPlantable(c: Pick<Channel, 'id' | 'name' | 'archivedAt'>): void {
    this.repo.assertPlantable(c);
  }

  /** Every flow leads to a channel that exists, not to itself, and no chain of flows comes back round. */
  private checkFeeds(c: Channel): void {
    const all = new Map(this.repo.list({ includeArchived: true }).map((x) => [x.id, x]));
    all.set(c.id, c);
    const seen = new Set<string>();
    for (const f of c.feeds) {
      if (!all.has(f.channelId)) throw new AppError('unknown-channel', `feeds: channel "${f.channelId}" does not exist`, 400);
      if (seen.has(f.channelId)) throw new AppError('invalid-request', `feeds: channel "${f.channelId}" is listed twice`, 400);
      seen.add(f.channelId);
    }
    const cycle = findCycle(c.id, (id) => all.get(id)?.feeds.map((f) => f.channelId) ?? []);
    if (cycle) {
      throw new AppError('feed-cycle', `feeds: the flows would go round in a circle: ${cycle.map((id) => `"${all.get(id)?.name ?? id}"`).join(' → ')}`, 400);
    }
  }
}
