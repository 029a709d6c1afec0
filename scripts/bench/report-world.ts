// A store the size the report must handle, written straight into SQLite (planting 100,000 canaries
// through the pipeline would take minutes): channels with dedicated canaries, control numbers, and
// hits — background calls from many callers to every number, plus one leak firm on three channels.
import type { Db } from '../../src/store/db.ts';

const DAY = 86_400_000;
export const WORLD_START = Date.UTC(2026, 10, 1);
const iso = (t: number) => new Date(t).toISOString();
const phone = (k: number) => `+96659${String(k).padStart(7, '0')}`;

export interface ReportWorld {
  channels: number;
  canaries: number;
  controls: number;
}

export function fillCanaries(db: Db, w: ReportWorld): void {
  const perChannel = Math.ceil(w.canaries / w.channels);
  db.transaction(() => {
    const ch = db.prepare(`INSERT INTO channels (id, name, kind, target, created_at) VALUES (?, ?, 'other', 'utility-sample', ?)`);
    for (let c = 0; c < w.channels; c++) ch.run(`ch_b${c}`, `Bench channel ${c}`, iso(WORLD_START));
    const num = db.prepare(`INSERT INTO canary_numbers (id, phone_number, country, provider, status, is_control, ready_at, assigned_at, created_at)
      VALUES (?, ?, 'SA', 'simulated', ?, ?, ?, ?, ?)`);
    const can = db.prepare(`INSERT INTO canaries (id, number_id, locale, persona, ticket, created_at) VALUES (?, ?, 'ar-SA', '{}', '{}', ?)`);
    const pl = db.prepare(`INSERT INTO plantings (id, canary_id, channel_id, target, status, variant, external_ref, planted_at, created_at, exposed_at)
      VALUES (?, ?, ?, 'utility-sample', 'planted', '{"index":0}', ?, ?, ?, ?)`);
    for (let k = 0; k < w.canaries; k++) {
      const at = iso(WORLD_START + (k % 1000) * 60_000);
      num.run(`num_b${k}`, phone(k), 'assigned', 0, at, at, at);
      can.run(`cn_b${k}`, `num_b${k}`, at);
      pl.run(`pl_b${k}`, `cn_b${k}`, `ch_b${Math.floor(k / perChannel)}`, `R${k}`, at, at, at);
    }
    for (let c = 0; c < w.controls; c++) num.run(`num_c${c}`, phone(w.canaries + c), 'ready', 1, iso(WORLD_START), null, iso(WORLD_START));
  })();
}

/** Hits [from, to): the first ones are the leak firm's calls to the first three channels' canaries, minutes after planting. */
export function addHits(db: Db, w: ReportWorld, from: number, to: number): void {
  const perChannel = Math.ceil(w.canaries / w.channels);
  const total = w.canaries + w.controls;
  const hit = db.prepare(`INSERT INTO hits (id, kind, provider_sid, from_number, to_number, received_at, number_id, canary_id, classification, raw)
    VALUES (?, 'call', ?, ?, ?, ?, ?, ?, ?, '{}')`);
  db.transaction(() => {
    for (let h = from; h < to; h++) {
      let seed = (h * 2_654_435_761) % 2 ** 32;
      const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
      const leak = h < perChannel * 3;
      const n = leak ? h : Math.floor(rand() * total);
      const t = leak ? WORLD_START + (n % 1000) * 60_000 + 9 * 60_000 : WORLD_START + rand() * 14 * DAY;
      const isControl = n >= w.canaries;
      const caller = leak ? '+966112345678' : `+9665${String(Math.floor(rand() * 4_000_000)).padStart(8, '0')}`;
      hit.run(`hit_b${h}`, `CAb${h}`, caller, phone(n), iso(t), isControl ? `num_c${n - w.canaries}` : `num_b${n}`,
        isControl ? null : `cn_b${n}`, isControl ? 'control' : 'after-planting');
    }
  })();
}
