// Designs over channels worked in shifts (src/planting/shifts.ts). The decoder sees each shift as a
// channel of its own (`<channelId>~<shift>`), so a design is built over those; a ticket, though, is
// planted into the vendor's one queue, and which shift it reaches is decided by when. This turns a
// design over shifts into one that can be planted:
//  - no canary holds two shifts of one channel (a canary has one ticket per channel: plantings are
//    unique per canary and channel): a second shift on a canary is swapped with another canary's
//    planting, keeping every channel's weight, or moved to a canary of its own when no swap fits;
//  - each planting into a shift is moved to the first time at or after its slot when that shift is on
//    duty with at least GUARD_MINUTES of it left (so a ticket planted late in a shift is not seen by the
//    next one), and carries the shift's name for plans and campaign listings.
// The simulator (simulator.ts) plants the result and reads its exposures through the same shift
// mapping as the report (withShifts), so a plan's figures are those of the plantings a campaign makes.
import type { Design, DesignCanary, DesignPlanting } from './designs.ts';
import { onDuty, shiftChannelId, type ShiftSchedule } from '../planting/shifts.ts';

export const GUARD_MINUTES = 30;
const MINUTE = 60_000;
const STEP = 5 * MINUTE;
/** Every shift recurs within a week; a planting waits at most that long past its slot. */
const WEEK = 7 * 1_440 * MINUTE;

/** Channel ids as the decoder sees them: a channel worked in shifts becomes one id per shift. */
export function decoderChannelIds(ids: string[], schedules: Map<string, ShiftSchedule>): string[] {
  return ids.flatMap((id) => schedules.get(id)?.shifts.map((s) => shiftChannelId(id, s.name)) ?? [id]);
}

/** The channel and shift a decoder id names (shift null for a channel not worked in shifts). */
export function splitShiftId(id: string, schedules: Map<string, ShiftSchedule>): { channelId: string; shift: string | null } {
  const i = id.indexOf('~');
  if (i > 0 && schedules.has(id.slice(0, i))) return { channelId: id.slice(0, i), shift: id.slice(i + 1) };
  return { channelId: id, shift: null };
}

/** No canary holds two shifts of one channel (see above); the result is the same design when none does. */
export function separateShifts(design: Design, schedules: Map<string, ShiftSchedule>): Design {
  const key = (p: DesignPlanting) => splitShiftId(p.channelId, schedules).channelId;
  const canaries: DesignCanary[] = design.canaries.map((c) => ({ ...c, plantings: c.plantings.map((p) => ({ ...p })) }));
  const keysOf = (c: DesignCanary) => new Set(c.plantings.map(key));
  for (let i = 0; i < canaries.length; i++) {
    const c = canaries[i]!;
    const seen = new Set<string>();
    for (let k = 0; k < c.plantings.length; k++) {
      const p = c.plantings[k]!;
      if (!seen.has(key(p))) {
        seen.add(key(p));
        continue;
      }
      const mine = keysOf(c);
      const swap = canaries.findIndex((o, j) => j !== i && !keysOf(o).has(key(p)) && o.plantings.some((q) => !mine.has(key(q))));
      if (swap >= 0) {
        const o = canaries[swap]!;
        const q = o.plantings.findIndex((x) => !mine.has(key(x)));
        const [a, b] = [c.plantings[k]!, o.plantings[q]!];
        c.plantings[k] = { ...b, offsetMinutes: a.offsetMinutes };
        o.plantings[q] = { ...a, offsetMinutes: b.offsetMinutes };
        seen.add(key(c.plantings[k]!));
      } else {
        canaries.push({ plantings: [{ ...p, offsetMinutes: 0 }] });
        c.plantings.splice(k--, 1);
      }
    }
  }
  return { ...design, canaries, params: { ...design.params, numbers: canaries.length } };
}

/** The design as planted from `start` (epoch ms): shift plantings into their channel, at a time their shift is on duty. */
export function timeForShifts(design: Design, schedules: Map<string, ShiftSchedule>, start: number): Design {
  if (schedules.size === 0) return design;
  // A plan plants one design in every simulated world from the same start: time it once.
  const kept = timed.get(design);
  if (kept && kept.schedules === schedules && kept.start === start) return kept.result;
  const result = timeDesign(design, schedules, start);
  timed.set(design, { schedules, start, result });
  return result;
}

const timed = new WeakMap<Design, { schedules: Map<string, ShiftSchedule>; start: number; result: Design }>();

function timeDesign(design: Design, schedules: Map<string, ShiftSchedule>, start: number): Design {
  const separated = separateShifts(design, schedules);
  const duty = new Map<string, DutyWindows>();
  const canaries = separated.canaries.map((c) => ({
    ...c,
    plantings: c.plantings.map((p): DesignPlanting => {
      const { channelId, shift } = splitShiftId(p.channelId, schedules);
      if (!shift) return p;
      if (!duty.has(channelId)) duty.set(channelId, new DutyWindows(schedules.get(channelId)!, start));
      const at = duty.get(channelId)!.next(shift, start + p.offsetMinutes * MINUTE);
      // Whole minutes, rounded up: a start between minutes must not put the ticket just before its shift.
      return { channelId, shift, offsetMinutes: Math.ceil((at - start) / MINUTE) };
    }),
  }));
  return { ...separated, canaries };
}

/** A schedule's on-duty windows from an origin on, found in 5-minute steps and refined to the minute, as far as they are asked for. */
class DutyWindows {
  private readonly windows: Array<{ shift: string; from: number; to: number }> = [];
  private scanned: number;
  private last: string | null = null;

  constructor(private readonly schedule: ShiftSchedule, origin: number) {
    this.scanned = origin - (origin % MINUTE);
    this.last = onDuty(schedule, this.scanned);
    if (this.last) this.windows.push({ shift: this.last, from: this.scanned, to: this.scanned });
  }

  /** The first time ≥ t at which `shift` is on duty with GUARD_MINUTES of it left (or, in a shorter shift, from its start). */
  next(shift: string, t: number): number {
    const at = Math.max(this.windows[0]?.from ?? -Infinity, t);
    this.scan(at + WEEK + 2 * 1_440 * MINUTE);
    for (const w of this.windows) {
      if (w.shift !== shift || w.to <= at) continue;
      if (w.from <= at && w.to - at >= GUARD_MINUTES * MINUTE) return at;
      if (w.from > at) return w.from;
    }
    throw new RangeError(`shift ${shift} is never on duty`);
  }

  private scan(to: number): void {
    for (let x = this.scanned + STEP; x <= to; x += STEP) {
      const who = onDuty(this.schedule, x);
      const open = this.last ? this.windows.at(-1)! : null;
      if (who === this.last) {
        if (open) open.to = x;
        continue;
      }
      // Duty changed within (x − STEP, x]: find the minute.
      let edge = x;
      while (edge - MINUTE > x - STEP && onDuty(this.schedule, edge - MINUTE) === who) edge -= MINUTE;
      if (open) open.to = edge;
      if (who) this.windows.push({ shift: who, from: edge, to: x });
      this.last = who;
    }
    this.scanned = Math.max(this.scanned, to - ((to - this.scanned) % STEP));
  }
}
