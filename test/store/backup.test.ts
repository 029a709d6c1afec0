// Backups are online and consistent; a restore checks the evidence chain first.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupStore, checkStore, restoreStore } from '../../src/store/backup.ts';
import { buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';

let app: TestApp;
afterEach(async () => {
  await app?.dispose();
});

describe('backup and restore', () => {
  it('when a backup is taken under webhook load, then it restores with every hit acknowledged before it and a valid chain', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const [canary] = await plant(app, [ch.id]);
    const acknowledged: string[] = [];
    const fire = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const params = callParams(canary!.phoneNumber, `+1212555${String(1000 + i).slice(-4)}`);
        const res = await signedWebhook(app, '/twilio/voice', params);
        if (res.status === 200) acknowledged.push(params.CallSid!);
      }
    };
    await fire(20);
    // Load keeps coming while the copy is taken.
    const during = Promise.all([fire(30), fire(30)]);
    const before = [...acknowledged];
    const dest = path.join(app.dir, 'backups', 'tracer-1.db');
    const check = await backupStore(app.services.db, dest);
    await during;

    expect(check.evidence.ok).toBe(true);
    expect(check.integrity).toBe('ok');
    const restored = path.join(app.dir, 'restored', 'tracer.db');
    const r = await restoreStore(dest, restored, new Date());
    expect(r.evidence.ok).toBe(true);
    const db = new Database(restored, { readonly: true });
    const sids = new Set(db.prepare('SELECT provider_sid FROM hits').pluck().all() as string[]);
    const evidenceHits = db.prepare(`SELECT count(*) FROM evidence_log WHERE kind = 'hit'`).pluck().get() as number;
    db.close();
    for (const sid of before) expect(sids.has(sid)).toBe(true);
    expect(sids.size).toBeGreaterThanOrEqual(before.length);
    expect(evidenceHits).toBe(sids.size);
  });

  it('when a backup\'s evidence chain was tampered with, then restore refuses it and leaves the store as it was', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    await plant(app, [ch.id]);
    const dest = path.join(app.dir, 'tracer-backup.db');
    await backupStore(app.services.db, dest);
    const tamper = new Database(dest);
    tamper.exec('DROP TRIGGER evidence_log_no_update');
    tamper.prepare(`UPDATE evidence_log SET payload = '{"forged":true}' WHERE seq = 1`).run();
    tamper.close();
    const target = path.join(app.dir, 'live', 'tracer.db');
    fs.mkdirSync(path.dirname(target));
    fs.writeFileSync(target, 'the store in place');
    await expect(restoreStore(dest, target, new Date())).rejects.toMatchObject({ code: 'evidence-broken' });
    expect(fs.readFileSync(target, 'utf8')).toBe('the store in place');
    expect(checkStore(dest).evidence.ok).toBe(false);
  });

  it('when the backup path exists already, then nothing is overwritten', async () => {
    app = buildTestApp();
    const dest = path.join(app.dir, 'exists.db');
    fs.writeFileSync(dest, 'keep me');
    await expect(backupStore(app.services.db, dest)).rejects.toMatchObject({ code: 'backup-exists' });
    expect(fs.readFileSync(dest, 'utf8')).toBe('keep me');
  });
});
