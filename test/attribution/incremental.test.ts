// The report keeps the hits folded between decodes (src/attribution/stored-calls.ts) and reads only
// what is new: whatever happens to the store, a report kept that way must equal one rebuilt from
// the facts alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTracerDb, type Db } from '../../src/store/db.ts';
import { AttributionReports } from '../../src/attribution/report.ts';
import { addHits, fillCanaries, WORLD_START, type ReportWorld } from '../../scripts/bench/report-world.ts';

const WORLD: ReportWorld = { channels: 40, canaries: 1200, controls: 60 };
const NOW = new Date(WORLD_START + 15 * 86_400_000);

describe('a report kept incrementally equals one rebuilt from the facts', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh store with the world's canaries, and a report kept on it. */
  const keptWorld = () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracer-incremental-'));
    db = openTracerDb(path.join(dir, 'tracer.db'));
    fillCanaries(db, WORLD);
    return new AttributionReports(db, () => NOW);
  };
  const fresh = () => new AttributionReports(db, () => NOW).report({ limit: 1000 });
  const same = (kept: AttributionReports) => {
    const a = { ...kept.report({ limit: 1000 }), generatedAt: null };
    const b = { ...fresh(), generatedAt: null };
    expect(a).toEqual(b);
    return a;
  };

  it('when hits arrive in batches, a party is accepted, a hit is removed, an SMS quotes a reference and a planting is confirmed earlier, then every report equals a rebuilt one', () => {
    const kept = keptWorld();
    // The leak firm's calls come first (report-world: the first three channels), then background.
    let have = 0;
    for (const size of [40, 90, 400, 1500, 3000]) {
      addHits(db, WORLD, have, size);
      have = size;
      const r = same(kept);
      expect(r.channels.length).toBe(WORLD.channels);
    }
    const leaking = same(kept).channels.filter((c) => c.verdict === 'leaking').map((c) => c.channelId);
    expect(leaking).toEqual(['ch_b0', 'ch_b1', 'ch_b2']);

    // The firm rings from a second number, and investigators accept both as one party: callers re-keyed.
    db.prepare(`INSERT INTO hits (id, kind, provider_sid, from_number, to_number, received_at, number_id, canary_id, classification, raw)
      VALUES ('hit_x1', 'call', 'CAx1', '+966112345679', '+966590000001', ?, 'num_b1', 'cn_b1', 'after-planting', '{}')`).run(new Date(WORLD_START + 70 * 60_000).toISOString());
    db.prepare(`INSERT INTO parties (id, name, status, created_at, updated_at) VALUES ('pty_firm', 'Leak Pro', 'accepted', ?, ?)`).run(NOW.toISOString(), NOW.toISOString());
    const member = db.prepare(`INSERT INTO party_numbers (phone_number, party_id) VALUES (?, 'pty_firm')`);
    member.run('+966112345678');
    member.run('+966112345679');
    const withParty = same(kept);
    expect(withParty.channels.find((c) => c.channelId === 'ch_b0')!.party?.number).toBe('pty_firm');

    // A hit removed by another tool (or a backup restored from before it): everything is read again.
    db.prepare(`DELETE FROM hits WHERE id = 'hit_b7'`).run();
    same(kept);

    // An SMS quoting a reference, and more hits after it.
    db.prepare(`INSERT INTO hits (id, kind, provider_sid, from_number, to_number, received_at, number_id, canary_id, classification, body, raw)
      VALUES ('hit_sms', 'sms', 'SMx1', '+966112345678', '+966590000002', ?, 'num_b2', 'cn_b2', 'after-planting', 'about ticket R2', '{}')`).run(new Date(WORLD_START + 80 * 60_000).toISOString());
    addHits(db, WORLD, have, have + 500);
    same(kept);

    // A planting confirmed with an earlier exposure: old hits are judged again.
    db.prepare(`UPDATE plantings SET exposed_at = ? WHERE id = 'pl_b40'`).run(new Date(WORLD_START - 86_400_000).toISOString());
    same(kept);
  });

  it('when another tool edits a hit already read, writes one below the greatest rowid, or moves a number, then the kept report sees it, and appending hits moves no revision', () => {
    const kept = keptWorld();
    addHits(db, WORLD, 0, 2000);
    same(kept);
    const revision = () => db.prepare(`SELECT revision FROM fact_revisions WHERE name = 'hits'`).pluck().get() as number;
    const r0 = revision();
    addHits(db, WORLD, 2000, 2100);
    expect(revision()).toBe(r0);
    const before = same(kept);

    // The leak firm's first call on a canary of ch_b0 rewritten to come from someone else (no count or rowid changes).
    const firm = db.prepare(`SELECT id FROM hits WHERE from_number = '+966112345678' ORDER BY rowid LIMIT 1`).pluck().get() as string;
    db.prepare(`UPDATE hits SET from_number = '+966500000999' WHERE id = ?`).run(firm);
    expect(revision()).toBe(r0 + 1);
    const edited = same(kept);
    // Seen: the kept report changed (its callers on ch_b0), and equals the rebuilt one (same() above).
    expect(edited.channels.find((c) => c.channelId === 'ch_b0')!.callers).not.toEqual(before.channels.find((c) => c.channelId === 'ch_b0')!.callers);

    // A hit written with a rowid below the greatest (a merge from another store): the count and the maximum alone would miss it.
    const gap = db.prepare(`SELECT rowid FROM hits WHERE id = 'hit_b5'`).pluck().get() as number;
    db.prepare(`DELETE FROM hits WHERE rowid = ?`).run(gap);
    same(kept);
    db.prepare(`INSERT INTO hits (rowid, id, kind, provider_sid, from_number, to_number, received_at, number_id, canary_id, classification, raw)
      VALUES (?, 'hit_late', 'call', 'CAlate', '+966112345678', '+966590000005', ?, 'num_b5', 'cn_b5', 'after-planting', '{}')`).run(gap, new Date(WORLD_START + 20 * 60_000).toISOString());
    const late = same(kept);
    expect(late.channels.find((c) => c.channelId === 'ch_b0')!.hitIds).toContain('hit_late');

    // A number turned into a control by hand: its calls become background, in the kept report too.
    db.prepare(`UPDATE canary_numbers SET is_control = 1 WHERE id = 'num_b9'`).run();
    same(kept);
  });

  it('when another tool drops or rewrites a trigger that moves the revisions, then nothing kept is trusted and the kept report still sees an edit', () => {
    const kept = keptWorld();
    addHits(db, WORLD, 0, 2000);
    const before = same(kept);
    const firm = db.prepare(`SELECT id FROM hits WHERE from_number = '+966112345678' ORDER BY rowid LIMIT 1`).pluck().get() as string;
    const callers = (r: typeof before) => r.channels.find((c) => c.channelId === 'ch_b0')!.callers;
    // Dropped, then an edit the revision would have shown.
    db.exec('DROP TRIGGER fact_revision_hits_update');
    db.prepare(`UPDATE hits SET from_number = '+966500000999' WHERE id = ?`).run(firm);
    expect(callers(same(kept))).not.toEqual(callers(before));
    // Put back as a trigger that moves nothing (same name): still not trusted.
    db.exec(`CREATE TRIGGER fact_revision_hits_update AFTER UPDATE OF from_number ON hits BEGIN SELECT 1; END`);
    db.prepare(`UPDATE hits SET from_number = '+966112345678' WHERE id = ?`).run(firm);
    expect(callers(same(kept))).toEqual(callers(before));
    // A planting's trigger dropped: a channel's exposure changed by hand is seen too.
    db.exec('DROP TRIGGER fact_revision_plantings_update');
    db.prepare(`UPDATE plantings SET status = 'withdrawn' WHERE canary_id = 'cn_b1'`).run();
    same(kept);
  });
});

