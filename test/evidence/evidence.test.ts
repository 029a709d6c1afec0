import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';

describe('evidence log', () => {
  let app: TestApp;
  afterEach(() => app.dispose());

  it('when plantings and hits happen, then each is chained; an edit is refused and a forged row breaks the chain', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'A', kind: 'crm' });
    const [c] = await plant(app, [ch.id]);
    await signedWebhook(app, '/twilio/voice', callParams(c!.phoneNumber, '+966112345678'));
    const log = app.services.evidence;
    expect(log.list().map((e) => e.kind)).toEqual(['planting', 'hit']);
    expect(log.verify()).toMatchObject({ ok: true, entries: 2, problems: [] });
    const db = app.services.db;
    expect(() => db.prepare("UPDATE evidence_log SET payload = '{}' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM evidence_log').run()).toThrow(/append-only/);
    // Someone with file access appends a row without the right hash.
    db.prepare("INSERT INTO evidence_log (at, kind, subject, payload, prev_hash, hash) VALUES ('x', 'hit', 'h', '{}', 'bad', 'bad')").run();
    expect(log.verify()).toMatchObject({ ok: false, brokenAt: 3 });
  });
});
