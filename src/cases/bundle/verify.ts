import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { createHash } from 'node:crypto';
import { GENESIS_HASH, chainHash, entryHash } from '../../evidence/chain.ts';
import { fingerprintOf, verifySignature } from '../../keys/instance-key.ts';
import { NOTES_FILE, PARTIES_FILE, PUBLIC_KEY_FILE, SIGNATURE_FILE, SLICE_FILE, isReportFile, manifestText, parseBagInfo, parseManifest, sha256hex } from './bagit.ts';
import { listFiles } from './zip.ts';

// Checks a bundle with nothing but the bundle (and, ideally, the public key the sender gave in
// advance): no tracer database, no network. Stops at the first thing that does not match and names it.

export type VerifyResult =
  | { ok: true; files: number; entries: number; withheld: { checked: number; linkedOnly: number }; headSeq: number; headHash: string; keyFingerprint: string; keyGiven: boolean }
  | { ok: false; failed: string; reason: string };

class Mismatch extends Error {
  constructor(readonly failed: string, readonly reason: string) { super(`${failed}: ${reason}`); }
}

const fileHash = async (file: string) => {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
};

export async function verifyBundle(bundlePath: string, o: { publicKeyPem?: string } = {}): Promise<VerifyResult> {
  let tmp: string | null = null;
  try {
    let root = bundlePath;
    if (fs.statSync(bundlePath).isFile()) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracer-verify-'));
      root = await unzipTo(bundlePath, tmp);
    }
    return await verifyDir(root, o.publicKeyPem);
  } catch (e) {
    if (e instanceof Mismatch) return { ok: false, failed: e.failed, reason: e.reason };
    throw e;
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const need = (root: string, rel: string) => {
  const f = path.join(root, rel);
  if (!fs.existsSync(f)) throw new Mismatch(rel, 'missing');
  return fs.readFileSync(f);
};

async function verifyDir(root: string, givenKey?: string): Promise<VerifyResult> {
  const bagit = need(root, 'bagit.txt').toString();
  if (!/^BagIt-Version: 1\.0\r?\n/.test(bagit)) throw new Mismatch('bagit.txt', 'not a BagIt 1.0 declaration');
  const tagManifest = need(root, 'tagmanifest-sha256.txt');
  const signature = need(root, SIGNATURE_FILE).toString().trim();
  const bundledKey = need(root, PUBLIC_KEY_FILE).toString();
  const key = givenKey ?? bundledKey;
  if (givenKey && fingerprintOf(givenKey) !== fingerprintOf(bundledKey)) throw new Mismatch(PUBLIC_KEY_FILE, 'is not the public key given: the bundle was signed by another key');
  if (!verifySignature(key, tagManifest, signature)) throw new Mismatch(SIGNATURE_FILE, 'the signature does not match tagmanifest-sha256.txt under the public key');
  const tags = parseManifest(tagManifest.toString());
  for (const rel of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', PUBLIC_KEY_FILE]) if (!tags.has(rel)) throw new Mismatch('tagmanifest-sha256.txt', `does not list ${rel}`);
  for (const [rel, sha] of tags) if (sha256hex(need(root, rel)) !== sha) throw new Mismatch(rel, 'does not match its hash in tagmanifest-sha256.txt');
  const manifest = parseManifest(need(root, 'manifest-sha256.txt').toString());
  const present = listFiles(root, 'data');
  for (const rel of present) if (!manifest.has(rel)) throw new Mismatch(rel, 'is in data/ but not in manifest-sha256.txt');
  for (const [rel, sha] of manifest) {
    if (!fs.existsSync(path.join(root, rel))) throw new Mismatch(rel, 'is in manifest-sha256.txt but missing');
    if ((await fileHash(path.join(root, rel))) !== sha) throw new Mismatch(rel, 'does not match its hash in manifest-sha256.txt');
  }
  const info = parseBagInfo(need(root, 'bag-info.txt').toString());
  const evidenceSha = sha256hex(manifestText([...manifest].filter(([rel]) => !isReportFile(rel)).map(([rel, sha256]) => ({ rel, sha256 }))));
  if (info.get('Tracer-Evidence-Manifest-Sha256') !== evidenceSha) throw new Mismatch('bag-info.txt', 'Tracer-Evidence-Manifest-Sha256 is not the hash of the evidence files\u2019 manifest');
  if (manifest.has('data/report.html') && !need(root, 'data/report.html').toString().includes(evidenceSha)) throw new Mismatch('data/report.html', 'does not state the evidence manifest hash');
  const [headSeq, headHash] = (info.get('Tracer-Evidence-Log-Head') ?? '').split(' ');
  const chain = checkSlice(need(root, SLICE_FILE).toString(), Number(headSeq), headHash ?? '');
  checkNotes(need(root, NOTES_FILE).toString(), chain.noteHashes);
  if (manifest.has(PARTIES_FILE)) checkParties(need(root, PARTIES_FILE).toString(), chain.partyLinks);
  return { ok: true, files: manifest.size, entries: chain.entries, withheld: chain.withheld, headSeq: Number(headSeq), headHash: headHash!, keyFingerprint: fingerprintOf(key), keyGiven: !!givenKey };
}

/** An entry in full, as the log hashed it (src/evidence/chain.ts: first form, or the second with its salt). */
const shownHash = (prev: string, e: { at: string; kind: string; subject: string; payload: string; fact?: { table: string; id: string; hash: string }; salt?: string }) =>
  entryHash({ prev_hash: prev, at: e.at, kind: e.kind, subject: e.subject, payload: e.payload, fact_table: e.fact?.table ?? null, fact_id: e.fact?.id ?? null,
    fact_hash: e.fact?.hash ?? null, salt: e.salt ?? null });

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Follows the chain from the genesis to the stated head. Entries in full are recomputed; withheld
 * second-form entries are recomputed from their body digest; withheld first-form runs (entries
 * written before the second form) can only be linked: their inner hashes cannot be recomputed.
 */
function checkSlice(text: string, headSeq: number, headHash: string) {
  let prev = GENESIS_HASH;
  let nextSeq = 1;
  let entries = 0;
  const withheld = { checked: 0, linkedOnly: 0 };
  const noteHashes = new Map<number, string>();
  const partyLinks = new Set<string>();
  const lines = text.split('\n').filter((l) => l !== '');
  for (const [i, line] of lines.entries()) {
    const where = `${SLICE_FILE} line ${i + 1}`;
    let e: any;
    try { e = JSON.parse(line); } catch { throw new Mismatch(where, 'is not JSON'); }
    const seq = e.withheld?.seq ?? e.seq;
    const name = seq !== undefined ? `evidence entry ${seq}${e.withheld ? ' (withheld)' : ''}` : where;
    if (e.prevHash !== prev) throw new Mismatch(name, 'does not follow the entry before it (prevHash)');
    if (e.withheld && e.withheld.bodySha256 !== undefined) {
      if (seq !== nextSeq) throw new Mismatch(name, `out of sequence (expected ${nextSeq})`);
      if (typeof e.withheld.bodySha256 !== 'string' || !HEX64.test(e.withheld.bodySha256) || chainHash(prev, e.withheld.bodySha256) !== e.hash) {
        throw new Mismatch(name, 'its body digest does not match its hash');
      }
      nextSeq++;
      withheld.checked++;
    } else if (e.withheld) {
      if (e.withheld.fromSeq !== nextSeq || !(e.withheld.toSeq >= e.withheld.fromSeq)) throw new Mismatch(where, 'withheld run out of sequence');
      nextSeq = e.withheld.toSeq + 1;
      withheld.linkedOnly += e.withheld.toSeq - e.withheld.fromSeq + 1;
    } else {
      if (e.seq !== nextSeq) throw new Mismatch(name, `out of sequence (expected ${nextSeq})`);
      if (typeof e.payload !== 'string' || shownHash(prev, e) !== e.hash) throw new Mismatch(name, 'its content does not match its hash');
      const p = JSON.parse(e.payload);
      if (e.kind === 'case-note') noteHashes.set(p.noteId, p.textSha256);
      if (e.kind === 'case-linked' && p.kind === 'party') partyLinks.add(String(p.ref));
      nextSeq++;
      entries++;
    }
    prev = e.hash;
  }
  if (nextSeq - 1 !== headSeq || prev !== headHash) throw new Mismatch(SLICE_FILE, `does not end at the head stated in bag-info.txt (${headSeq})`);
  return { entries, withheld, noteHashes, partyLinks };
}

function checkNotes(text: string, hashes: Map<number, string>): void {
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const n = JSON.parse(line) as { id: number; text: string };
    if (hashes.get(n.id) !== sha256hex(n.text)) throw new Mismatch(`${NOTES_FILE} note ${n.id}`, 'does not match its evidence-log entry');
  }
}

/** The parties file says which parties the case links: exactly those the log's case-linked entries name. */
function checkParties(text: string, links: Set<string>): void {
  let parsed: { parties?: Array<{ partyId: string | null; linked: boolean }> };
  try { parsed = JSON.parse(text); } catch { throw new Mismatch(PARTIES_FILE, 'is not JSON'); }
  const linked = (parsed.parties ?? []).filter((p) => p.linked).map((p) => String(p.partyId));
  for (const id of linked) if (!links.has(id)) throw new Mismatch(`${PARTIES_FILE} party ${id}`, 'is marked linked but no evidence-log entry links it to the case');
  for (const id of links) if (!linked.includes(id)) throw new Mismatch(`${PARTIES_FILE} party ${id}`, 'is linked to the case in the evidence log but missing from the parties file');
}

async function unzipTo(file: string, dir: string): Promise<string> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(file, { lazyEntries: true, strictFileNames: true }, (e, z) => (e ? rej(e) : res(z!))));
  const tops = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject).on('end', resolve).on('entry', (entry: yauzl.Entry) => {
      tops.add(entry.fileName.split('/')[0]!);
      if (entry.fileName.endsWith('/')) return void zip.readEntry();
      const dest = path.join(dir, entry.fileName);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        pipeline(stream!, fs.createWriteStream(dest)).then(() => zip.readEntry(), reject);
      });
    });
    zip.readEntry();
  });
  if (tops.size !== 1) throw new Mismatch(path.basename(file), 'a bundle zip holds exactly one top-level folder');
  return path.join(dir, [...tops][0]!);
}
