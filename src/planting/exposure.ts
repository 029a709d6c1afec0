// Exposure, the facts attribution reasons over: every period in which a channel could see a canary.
// A planting exposes its canary from the moment anything reached the target (`exposed_at`), whatever
// became of it later; a channel's flows (`feeds`) carry the ticket on to downstream channels after
// their delay. Read as the store stands now, so a late confirmation or a correction re-judges old hits.
import type { Db } from '../store/db.ts';
import type { Exposure } from '../attribution/model.ts';
import { scheduleOf, shiftChannelId, withShifts, type ShiftSchedule } from './shifts.ts';

export interface Flow {
  channelId: string;
  delayMinutes?: number;
}

/** Every planting that reached its target, and everything downstream of it through flows. */
export function canaryExposures(db: Db): Exposure[] {
  const direct = db
    .prepare(`SELECT canary_id, channel_id, CAST(round((julianday(exposed_at) - 2440587.5) * 86400000) AS INTEGER)
      FROM plantings WHERE exposed_at IS NOT NULL`)
    .raw()
    .all() as Array<[string, string, number]>;
  const out: Exposure[] = direct.map(([canaryId, channelId, from]) => ({ canaryId, channelId, from }));
  const flows = channelFlows(db);
  return withShifts(flows.size === 0 ? out : withFlows(out, flows), channelSchedules(db));
}

/** Channels worked in shifts (src/planting/shifts.ts): each shift is exposed as a channel of its own. */
export function channelSchedules(db: Db): Map<string, ShiftSchedule> {
  const rows = db.prepare(`SELECT id, dimensions FROM channels WHERE dimensions LIKE '%"shift":{%'`).raw().all() as Array<[string, string]>;
  const out = new Map<string, ShiftSchedule>();
  for (const [id, dims] of rows) {
    const s = scheduleOf(dims);
    if (s) out.set(id, s);
  }
  return out;
}

/** The decoder's channel list: a channel worked in shifts is replaced by one channel per shift. */
export function withShiftChannels<C extends { id: string; name: string; kind: string }>(db: Db, channels: C[]): C[] {
  const schedules = channelSchedules(db);
  if (schedules.size === 0) return channels;
  return channels.flatMap((c) => {
    const s = schedules.get(c.id);
    return s ? s.shifts.map((sh) => ({ ...c, id: shiftChannelId(c.id, sh.name), name: `${c.name} (${sh.name} shift)` })) : [c];
  });
}

/** Downstream exposures: a ticket reaching A also reaches what A feeds, after the delay, transitively (earliest path wins). */
export function withFlows(direct: Exposure[], flows: Map<string, Flow[]>): Exposure[] {
  const earliest = new Map<string, Exposure>();
  const queue = [...direct];
  for (let i = 0; i < queue.length; i++) {
    const e = queue[i]!;
    const key = `${e.canaryId}\u0000${e.channelId}`;
    const seen = earliest.get(key);
    if (seen && seen.from <= e.from) continue;
    earliest.set(key, e);
    for (const f of flows.get(e.channelId) ?? []) {
      queue.push({ canaryId: e.canaryId, channelId: f.channelId, from: e.from + (f.delayMinutes ?? 0) * 60_000 });
    }
  }
  return [...earliest.values()];
}

/** Channels' declared flows; a store from before flows existed has none. */
export function channelFlows(db: Db): Map<string, Flow[]> {
  const hasFeeds = (db.prepare(`SELECT count(*) FROM pragma_table_info('channels') WHERE name = 'feeds'`).pluck().get() as number) > 0;
  if (!hasFeeds) return new Map();
  const rows = db.prepare(`SELECT id, feeds FROM channels WHERE feeds IS NOT NULL AND feeds <> '[]'`).raw().all() as Array<[string, string]>;
  return new Map(rows.map(([id, feeds]) => [id, JSON.parse(feeds) as Flow[]]));
}
