import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, createChannel, plant, tempDir, type TestApp } from '../support/app.ts';
import { verifyBundle } from '../../src/cases/bundle/verify.ts';
import { manifestText, parseManifest, sha256hex } from '../../src/cases/bundle/bagit.ts';
import { listFiles } from '../../src/cases/bundle/zip.ts';
import { loadOrCreateInstanceKey, type InstanceKey } from '../../src/keys/instance-key.ts';
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { FIRM, HOSTILE_NAME, leakScenario } from './support.ts';
import { pdfText } from './pdf-text.ts';
import { chainHash, entryHash } from '../../src/evidence/chain.ts';

/** Rewrites the manifests after a change and signs with `key`: what someone holding the key could do. */
function reseal(dir: string, key: InstanceKey): void {
  const info = fs.readFileSync(path.join(dir, 'bag-info.txt'), 'utf8');
  const oldEvidence = /Tracer-Evidence-Manifest-Sha256: (\w+)/.exec(info)![1]!;
  const data = listFiles(dir, 'data').map((rel) => ({ rel, sha256: sha256hex(fs.readFileSync(path.join(dir, rel))) }));
  const evidence = sha256hex(manifestText(data.filter((f) => !/^data\/report\./.test(f.rel))));
  const reportFile = path.join(dir, 'data/report.html');
  fs.writeFileSync(reportFile, fs.readFileSync(reportFile, 'utf8').replaceAll(oldEvidence, evidence));
  fs.writeFileSync(path.join(dir, 'bag-info.txt'), info.replace(oldEvidence, evidence));
  const files = listFiles(dir, 'data').map((rel) => ({ rel, sha256: sha256hex(fs.readFileSync(path.join(dir, rel))) }));
  fs.writeFileSync(path.join(dir, 'manifest-sha256.txt'), manifestText(files));
  const tags = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'instance-public-key.pem'].map((rel) => ({ rel, sha256: sha256hex(fs.readFileSync(path.join(dir, rel))) }));
  const tm = manifestText(tags);
  fs.writeFileSync(path.join(dir, 'tagmanifest-sha256.txt'), tm);
  fs.writeFileSync(path.join(dir, 'tagmanifest-sha256.txt.sig'), key.sign(Buffer.from(tm)));
}

describe('evidence bundle', () => {
  let app: TestApp;
  let caseId: string;
  let work: string;
  let bag: string;
  let key: InstanceKey;
  let partyId: string;
  const progress: Array<[number, number]> = [];
  beforeAll(async () => {
    const s = await leakScenario();
    ({ app, caseId } = s);
    // Another channel's canary: its log entries are not the case's and must be withheld from the bundle.
    const other = await createChannel(app, { name: 'Unrelated CRM', kind: 'crm' });
    await plant(app, [other.id], 1);
    await request(app.http).post(`/api/v1/cases/${caseId}/notes`).set(bearer(app.tokens.investigator)).send({ text: 'Spoke to the vendor.' });
    const party = await request(app.http).post('/api/v1/parties').set(bearer(app.tokens.investigator)).send({ name: 'Najm Collections', numbers: [FIRM] });
    partyId = party.body.id;
    expect((await request(app.http).post(`/api/v1/cases/${caseId}/links`).set(bearer(app.tokens.investigator)).send({ partyIds: [partyId] })).status).toBe(200);
    work = tempDir('tracer-bundle-test-');
    bag = path.join(work, 'bag');
    await app.services.exportBundle(caseId, bag, { actor: 'tester', role: 'admin' }, { onProgress: (done, total) => progress.push([done, total]) });
    key = loadOrCreateInstanceKey(app.services.instanceKeyFile);
    fs.writeFileSync(path.join(work, 'key.pem'), key.publicKeyPem);
  }, 120_000);
  afterAll(async () => {
    await app?.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  });
  const copy = (name: string) => {
    const d = path.join(work, name);
    fs.cpSync(bag, d, { recursive: true });
    return d;
  };
  const edit = (file: string, fn: (s: string) => string) => {
    const was = fs.readFileSync(file, 'utf8');
    const now = fn(was);
    expect(now).not.toBe(was); // the tamper really changed something
    fs.writeFileSync(file, now);
  };

  it('when a bundle is exported, then it is a BagIt bag whose data holds the report, the hits as received, neutralised CSV, plantings, notes and the log slice, and it verifies against the public key', async () => {
    expect(fs.readFileSync(path.join(bag, 'bagit.txt'), 'utf8')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const manifest = parseManifest(fs.readFileSync(path.join(bag, 'manifest-sha256.txt'), 'utf8'));
    expect([...manifest.keys()].sort()).toEqual(['data/case.json', 'data/evidence/log-slice.jsonl', 'data/hits.csv', 'data/hits.jsonl', 'data/notes.jsonl',
      'data/parties.json', 'data/plantings.jsonl', 'data/report.html', 'data/report.pdf', 'data/status-events.jsonl']);
    const parties = JSON.parse(fs.readFileSync(path.join(bag, 'data/parties.json'), 'utf8'));
    expect(parties.caseId).toBe(caseId);
    expect(parties.parties).toHaveLength(1);
    expect(parties.parties[0]).toMatchObject({ partyId, name: 'Najm Collections', linked: true, numbers: [FIRM], calls: 3, sms: 1, caseCanariesReached: 3,
      access: { class: 'live' }, channels: [{ name: 'Vendor A night shift', decoded: true, verdict: 'leaking' }] });
    const jsonl = fs.readFileSync(path.join(bag, 'data/hits.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(jsonl).toHaveLength(4);
    const call = jsonl.find((h) => h.kind === 'call');
    expect(call.raw).toMatchObject({ CallerName: HOSTILE_NAME, FutureParam: '  kept as sent  ', From: FIRM });
    const csv = fs.readFileSync(path.join(bag, 'data/hits.csv'), 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://x.example"",""LEAK"")<script>alert(1)</script>"`);
    expect(csv).toContain("'+1 call us @ now");
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(fs.readFileSync(path.join(bag, 'data/plantings.jsonl'), 'utf8').trim().split('\n')).toHaveLength(6);
    const slice = fs.readFileSync(path.join(bag, 'data/evidence/log-slice.jsonl'), 'utf8');
    expect(slice).toContain('"withheld":');
    expect(slice).not.toContain('Unrelated');
    // A withheld entry is its seq, its body's digest and the hashes: no kind, subject, time or payload.
    const withheld = slice.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.withheld);
    expect(withheld.length).toBeGreaterThan(0);
    for (const w of withheld) {
      expect(Object.keys(w).sort()).toEqual(['hash', 'prevHash', 'withheld']);
      expect(Object.keys(w.withheld).sort()).toEqual(['bodySha256', 'seq']);
    }
    // The party's own acts are the case's: shown in full.
    expect(slice).toContain(`"kind":"party-created","subject":"${partyId}"`);
    expect(fs.readFileSync(path.join(bag, 'data/report.html'), 'utf8')).not.toContain('<script>alert(1)');
    const text = (await pdfText(fs.readFileSync(path.join(bag, 'data/report.pdf')))).replace(/\s+/g, '');
    expect(text).toContain('VendorAnightshift');
    expect(text).toContain('NajmCollections');
    const head = /Tracer-Evidence-Log-Head: \d+ (\w+)/.exec(fs.readFileSync(path.join(bag, 'bag-info.txt'), 'utf8'))![1]!;
    expect(text).toContain(head);
    const r = await verifyBundle(bag, { publicKeyPem: key.publicKeyPem });
    expect(r).toMatchObject({ ok: true, keyGiven: true, headHash: head, withheld: { checked: withheld.length, linkedOnly: 0 } });
    expect(app.services.evidence.list().filter((e) => e.subject === caseId).map((e) => e.kind)).toContain('case-bundle');
  });

  const tampers: Array<[string, (d: string) => void, RegExp]> = [
    ['a hit changed in hits.jsonl', (d) => edit(path.join(d, 'data/hits.jsonl'), (s) => s.replace(FIRM, '+966110000000')), /^data\/hits\.jsonl/],
    ['a byte of the PDF changed', (d) => { const f = path.join(d, 'data/report.pdf'); const b = fs.readFileSync(f); b[b.length - 10]! ^= 1; fs.writeFileSync(f, b); }, /^data\/report\.pdf/],
    ['a file added to data/', (d) => fs.writeFileSync(path.join(d, 'data/extra.txt'), 'x'), /^data\/extra\.txt/],
    ['a file removed', (d) => fs.rmSync(path.join(d, 'data/notes.jsonl')), /^data\/notes\.jsonl/],
    ['the manifest edited to match a changed file', (d) => {
      edit(path.join(d, 'data/hits.csv'), (s) => s.replace('Vendor', 'Vend0r') + 'x');
      edit(path.join(d, 'manifest-sha256.txt'), (s) => s.replace(/^\w+(  data\/hits\.csv)$/m, `${sha256hex(fs.readFileSync(path.join(d, 'data/hits.csv')))}$1`));
    }, /^manifest-sha256\.txt/],
    ['bag-info edited', (d) => edit(path.join(d, 'bag-info.txt'), (s) => s.replace(/Tracer-Produced-By: .*/, 'Tracer-Produced-By: someone else')), /^bag-info\.txt/],
    ['the signature changed', (d) => edit(path.join(d, 'tagmanifest-sha256.txt.sig'), (s) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1)), /^tagmanifest-sha256\.txt\.sig/],
    ['the tag manifest rewritten without the key', (d) => {
      edit(path.join(d, 'bag-info.txt'), (s) => s + 'Note: x\n');
      edit(path.join(d, 'tagmanifest-sha256.txt'), (s) => s.replace(/^\w+(  bag-info\.txt)$/m, `${sha256hex(fs.readFileSync(path.join(d, 'bag-info.txt')))}$1`));
    }, /^tagmanifest-sha256\.txt\.sig/],
    ['re-signed with another key', (d) => {
      const other = generateKeyPairSync('ed25519');
      fs.writeFileSync(path.join(d, 'instance-public-key.pem'), other.publicKey.export({ type: 'spki', format: 'pem' }));
      reseal(d, { sign: (b) => cryptoSign(null, b, other.privateKey).toString('base64'), publicKeyPem: '', fingerprint: '' });
    }, /^instance-public-key\.pem/],
    ['a log entry edited and the bag re-signed by the instance', (d) => {
      edit(path.join(d, 'data/evidence/log-slice.jsonl'), (s) => s.replace(/("kind":"case-opened".*?title\\":\\")Leak/, '$1Leek'));
      reseal(d, key);
    }, /^evidence entry \d+/],
    ['a withheld run\u2019s hash changed and re-signed', (d) => {
      edit(path.join(d, 'data/evidence/log-slice.jsonl'), (s) => s.replace(/("withheld":\{[^}]*\},"prevHash":"\w+","hash":")(\w)/, (_m, a, c) => `${a}${c === 'a' ? 'b' : 'a'}`));
      reseal(d, key);
    }, /^evidence entry \d+|log-slice/],
    ['a withheld entry\u2019s body digest changed and re-signed', (d) => {
      edit(path.join(d, 'data/evidence/log-slice.jsonl'), (s) => s.replace(/("withheld":\{"seq":\d+,"bodySha256":")(\w)/, (_m, a, c) => `${a}${c === 'a' ? 'b' : 'a'}`));
      reseal(d, key);
    }, /^evidence entry \d+ \(withheld\)$/],
    ['a withheld entry replaced by another body digest and hash (a forged entry) and re-signed', (d) => {
      // Whoever holds the key can make a digest and its hash agree; the next entry's prevHash still names the break.
      edit(path.join(d, 'data/evidence/log-slice.jsonl'), (s) => s.replace(/^\{"withheld":\{"seq":(\d+),"bodySha256":"\w+"\},"prevHash":"(\w+)","hash":"\w+"\}$/m, (_m, seq, prev) => {
        const body = sha256hex('forged');
        return JSON.stringify({ withheld: { seq: Number(seq), bodySha256: body }, prevHash: prev, hash: chainHash(prev, body) });
      }));
      reseal(d, key);
    }, /^evidence entry \d+/],
    ['the parties file edited', (d) => edit(path.join(d, 'data/parties.json'), (s) => s.replace('Najm Collections', 'Someone Else')), /^data\/parties\.json/],
    ['the linked party dropped from the parties file and re-signed', (d) => {
      edit(path.join(d, 'data/parties.json'), (s) => s.replace('"linked": true', '"linked": false'));
      reseal(d, key);
    }, /^data\/parties\.json party pty_/],
    ['a note rewritten and re-signed', (d) => {
      edit(path.join(d, 'data/notes.jsonl'), (s) => s.replace('Spoke to the vendor.', 'Never spoke to anyone.'));
      reseal(d, key);
    }, /^data\/notes\.jsonl note 1/],
  ];
  for (const [what, tamper, failed] of tampers) {
    it(`when ${what}, then verification fails naming it`, async () => {
      const d = copy(what.replace(/\W+/g, '-'));
      tamper(d);
      const r = await verifyBundle(d, { publicKeyPem: key.publicKeyPem });
      expect(r.ok).toBe(false);
      expect(r.ok === false && r.failed).toMatch(failed);
    });
  }

  it('when a bundle is exported with a watcher, then each of its parts is reported once, in order, up to the last', () => {
    expect(progress).toEqual(Array.from({ length: 9 }, (_, i) => [i + 1, 9]));
  });

  it('when the bundle is asked for over the API, then a zip comes back that verifies offline', async () => {
    const res = await request(app.http).post(`/api/v1/cases/${caseId}/bundle`).set(bearer(app.tokens.investigator)).send({}).buffer(true)
      .parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const zip = path.join(work, 'api.zip');
    fs.writeFileSync(zip, res.body);
    expect(await verifyBundle(zip, { publicKeyPem: key.publicKeyPem })).toMatchObject({ ok: true });
    // A report made afterwards, on its own, names that bundle's manifest in its chain of custody.
    const later = await request(app.http).get(`/api/v1/cases/${caseId}/report?format=html`).set(bearer(app.tokens.investigator));
    expect(later.text).toContain(res.headers['x-bundle-manifest-sha256']);
    expect((await request(app.http).post('/api/v1/cases/case_nope/bundle').set(bearer(app.tokens.investigator)).send({})).status).toBe(404);
  }, 60_000);

  it('when the out path exists and is not empty, or the disk fills while writing, then a clear error and nothing that looks like a bundle is left', async () => {
    const who = { actor: 'tester', role: 'admin' };
    await expect(app.services.exportBundle(caseId, bag, who)).rejects.toMatchObject({ code: 'out-exists' });
    await expect(app.services.exportBundle('case_nope', path.join(work, 'none'), who)).rejects.toMatchObject({ code: 'not-found' });
    const { composeCases } = await import('../../src/cases/index.ts');
    const s = app.services;
    let written = 0;
    const full = composeCases({ db: s.db, evidence: s.evidence, clock: s.clock, tracerDb: s.config.tracerDb, report: (q) => s.report(q), bundleIo: {
      createWriteStream: (file) => {
        const st = fs.createWriteStream(file, { flags: 'wx' });
        const orig = st._write.bind(st);
        st._write = (chunk, enc, cb) => ((written += chunk.length) > 3000 ? cb(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })) : orig(chunk, enc, cb));
        return st;
      },
    } });
    const before = fs.readdirSync(work).sort();
    for (const out of ['full-dir', 'full.zip']) {
      written = 0;
      await expect(full.exportBundle(caseId, path.join(work, out), who)).rejects.toMatchObject({ code: 'disk-full' });
    }
    expect(fs.readdirSync(work).sort()).toEqual(before);
  }, 60_000);
});

describe('evidence bundle over a log begun before the second hash form', () => {
  it('when the log starts with first-form entries (no salt), then those withheld are linked only, the later ones are recomputed, and both the bundle and the log verify', async () => {
    const s = await leakScenario();
    const { app } = s;
    const work = tempDir('tracer-bundle-legacy-');
    try {
      // An unrelated channel planted before the case: its entries are withheld from the bundle.
      const other = await createChannel(app, { name: 'Unrelated CRM', kind: 'crm' });
      await plant(app, [other.id], 1);
      // Rewrite every entry so far to the first form, as a log written before the salt migration holds it.
      const db = app.services.db;
      const triggers = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'evidence_log'`).pluck().all() as string[];
      db.exec('DROP TRIGGER evidence_log_no_update; DROP TRIGGER evidence_log_no_delete;');
      const rows = db.prepare('SELECT * FROM evidence_log ORDER BY seq').all() as Array<Record<string, any>>;
      let prev = '0'.repeat(64);
      for (const r of rows) {
        const old: Record<string, any> = { ...r, salt: null, prev_hash: prev };
        old.hash = entryHash(old as any);
        db.prepare('UPDATE evidence_log SET salt = NULL, prev_hash = ?, hash = ? WHERE seq = ?').run(old.prev_hash, old.hash, r.seq);
        prev = old.hash;
      }
      db.prepare('DELETE FROM evidence_verified').run();
      for (const t of triggers) db.exec(t);
      // Written afterwards: second form, withheld as digests.
      await plant(app, [other.id], 1);
      await request(app.http).post(`/api/v1/cases/${s.caseId}/notes`).set(bearer(app.tokens.investigator)).send({ text: 'After the upgrade.' });
      const bag = path.join(work, 'bag');
      await app.services.exportBundle(s.caseId, bag, { actor: 'tester', role: 'admin' });
      const r = await verifyBundle(bag);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.withheld.linkedOnly).toBeGreaterThan(0);
      expect(r.withheld.checked).toBeGreaterThan(0);
      const slice = fs.readFileSync(path.join(bag, 'data/evidence/log-slice.jsonl'), 'utf8');
      expect(slice).toMatch(/"withheld":\{"fromSeq":\d+,"toSeq":\d+\}/);
      expect(slice).toMatch(/"withheld":\{"seq":\d+,"bodySha256":"\w{64}"\}/);
      expect(app.services.evidence.verify().problems.filter((p) => p.check === 'chain')).toEqual([]);
    } finally {
      await app.dispose();
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
