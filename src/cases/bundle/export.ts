import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { csvRows } from '../../exports/csv.ts';
import { logHead, writeLogSlice } from '../../evidence/slice.ts';
import type { Db } from '../../store/db.ts';
import type { InstanceKey } from '../../keys/instance-key.ts';
import type { CaseReports } from '../reports.ts';
import type { Lang } from '../report-text.ts';
import type { Actor, CaseService } from '../service.ts';
import type { HitPageRow } from '../scope.ts';
import { BAGIT_TXT, NOTES_FILE, PARTIES_FILE, PUBLIC_KEY_FILE, SIGNATURE_FILE, SLICE_FILE, bagInfoText, isReportFile, manifestText, sha256hex } from './bagit.ts';
import { FileSink, nodeIo, writeWhole, type BundleIo } from './sink.ts';
import { zipDirectory } from './zip.ts';

export interface BundleDeps { db: Db; cases: CaseService; reports: CaseReports; key: () => InstanceKey; clock: () => Date; io?: BundleIo }
export interface BundleOptions {
  lang?: Lang; fullLog?: boolean; bom?: boolean;
  /** Hears each part of the bundle written (hits, status events, …, the signature, the zip): for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/** The parts writeBag writes, in order; a zip is one more. */
const BAG_PARTS = 9;
export interface BundleResult { path: string; format: 'dir' | 'zip'; files: number; bytes: number; manifestSha256: string; evidenceManifestSha256: string; headSeq: number; headHash: string; keyFingerprint: string }

type Done = { rel: string; sha256: string; bytes: number };

const HIT_COLUMNS = ['id', 'kind', 'receivedAt', 'from', 'callerName', 'to', 'canaryId', 'classification', 'callStatus', 'durationSeconds', 'body', 'providerSid'];
const csvRow = (h: HitPageRow) => [h.id, h.kind, h.received_at, h.from_number, h.caller_name, h.to_number, h.canary_id, h.classification, h.call_status, h.duration_seconds, h.body, h.provider_sid];
export const hitsCsv = (rows: unknown[][], header: boolean, bom = false) => csvRows(rows, header ? HIT_COLUMNS : null, bom);
/** Every parameter as received: the stored raw JSON text is spliced in, never re-serialised. */
export const hitJsonl = (h: HitPageRow) => `${JSON.stringify({ id: h.id, kind: h.kind, providerSid: h.provider_sid, receivedAt: h.received_at, from: h.from_number,
  to: h.to_number, callerName: h.caller_name, body: h.body, canaryId: h.canary_id, numberId: h.number_id, classification: h.classification,
  callStatus: h.call_status, durationSeconds: h.duration_seconds, callerInfo: h.caller_info ? JSON.parse(h.caller_info) : null }).slice(0, -1)},"raw":${h.raw}}\n`;

/**
 * Writes a case's evidence bundle (BagIt, RFC 8493) to `out`: a directory, or a .zip when the name
 * says so. Everything is written under a temporary name beside `out` and renamed only when whole,
 * so a failure (a full disk) leaves nothing that looks like a bundle.
 */
export async function exportBundle(d: BundleDeps, caseId: string, out: string, who: Actor, o: BundleOptions = {}): Promise<BundleResult> {
  d.cases.mustGet(caseId);
  const target = path.resolve(out);
  const zip = target.toLowerCase().endsWith('.zip');
  const replaceEmptyDir = checkOut(target, zip);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.partial-${randomBytes(4).toString('hex')}`);
  const tmpZip = `${tmp}.zip`;
  fs.mkdirSync(tmp);
  let done = 0;
  const step = () => o.onProgress?.(++done, BAG_PARTS + (zip ? 1 : 0));
  try {
    const made = await writeBag(d, caseId, tmp, who, o, step);
    if (zip) {
      await zipDirectory(tmp, tmpZip, `case-${caseId}`, d.io);
      step();
      fs.renameSync(tmpZip, target);
      fs.rmSync(tmp, { recursive: true, force: true });
    } else {
      if (replaceEmptyDir) fs.rmdirSync(target); // still empty: readdir said so and rmdir refuses otherwise
      fs.renameSync(tmp, target);
    }
    d.cases.recordAct(caseId, 'case-bundle', who, { manifestSha256: made.manifestSha256, evidenceManifestSha256: made.evidenceManifestSha256,
      headSeq: made.headSeq, headHash: made.headHash, keyFingerprint: made.keyFingerprint, format: zip ? 'zip' : 'dir' });
    return { ...made, path: target, format: zip ? 'zip' : 'dir' };
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(tmpZip, { force: true });
    throw writeError(err, target);
  }
}

/** True when `target` is an empty directory the bundle will take the place of. */
function checkOut(target: string, zip: boolean): boolean {
  if (!fs.existsSync(path.dirname(target))) throw new AppError('out-invalid', `${path.dirname(target)} does not exist`, 400);
  if (!fs.existsSync(target)) return false;
  const empty = !zip && fs.statSync(target).isDirectory() && fs.readdirSync(target).length === 0;
  if (!empty) throw new AppError('out-exists', `${target} exists and is not an empty directory: choose a new path (nothing was written)`, 409);
  return true;
}

function writeError(err: unknown, target: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new AppError('disk-full', `the disk filled while writing the bundle; nothing was left at ${target}`, 507);
  if (code && /^E[A-Z]+$/.test(code)) return new AppError('bundle-write-failed', `writing the bundle failed (${code}); nothing was left at ${target}`, 500);
  return err;
}

async function writeBag(d: BundleDeps, caseId: string, root: string, who: Actor, o: BundleOptions, step: () => void) {
  const io = d.io ?? nodeIo;
  const files: Done[] = [];
  const subjects = new Set<string>([caseId]);
  files.push(...(await writeHits(d, io, root, caseId, subjects, o.bom ?? false)));
  step();
  files.push(await writeStatusEvents(d, io, root, caseId));
  step();
  const plantings = d.cases.scope.plantings(caseId);
  for (const p of plantings) [p.id, p.canaryId, p.numberId].forEach((s) => subjects.add(s));
  files.push(await writeWhole(io, root, 'data/plantings.jsonl', plantings.map((p) => `${JSON.stringify(p)}\n`).join('')));
  step();
  const detail = d.cases.detail(caseId);
  for (const l of detail.links) subjects.add(l.ref);
  files.push(await writeWhole(io, root, NOTES_FILE, detail.notes.map((n) => `${JSON.stringify(n)}\n`).join('')));
  step();
  const { notes: _n, ...caseRecord } = detail;
  files.push(await writeWhole(io, root, 'data/case.json', `${JSON.stringify(caseRecord, null, 2)}\n`));
  // The report's data is read once: the parties file and the report show the same decode.
  const data = await d.reports.data(caseId, who);
  for (const p of data.parties) if (p.partyId) subjects.add(p.partyId);
  files.push(await writeWhole(io, root, PARTIES_FILE, `${JSON.stringify({ caseId, parties: data.parties }, null, 2)}\n`));
  step();
  // The head is read after the facts: every fact written above has its entry at or before it.
  const head = logHead(d.db);
  const slice = new FileSink(io, root, SLICE_FILE);
  try {
    await writeLogSlice(d.db, { subjects, upToSeq: head.seq, full: o.fullLog }, (line) => slice.write(`${JSON.stringify(line)}\n`));
    files.push(await slice.close());
    step();
  } catch (e) {
    slice.abort();
    throw e;
  }
  const evidenceManifestSha256 = sha256hex(manifestText(files));
  data.custody = { ...data.custody, evidenceManifestSha256, headHash: head.hash, headSeq: head.seq, lastBundle: null };
  const lang = o.lang ?? 'en';
  files.push(await writeWhole(io, root, 'data/report.html', await d.reports.render(data, lang, 'html')));
  step();
  files.push(await writeWhole(io, root, 'data/report.pdf', await d.reports.render(data, lang, 'pdf')));
  step();
  const tags = await writeTags(d, io, root, files, { caseId, head, evidenceManifestSha256, who });
  step();
  return tags;
}

async function writeHits(d: BundleDeps, io: BundleIo, root: string, caseId: string, subjects: Set<string>, bom: boolean): Promise<Done[]> {
  const csv = new FileSink(io, root, 'data/hits.csv');
  const jsonl = new FileSink(io, root, 'data/hits.jsonl');
  try {
    let after: { receivedAt: string; id: string } | null = null;
    let first = true;
    for (;;) {
      const page = d.cases.scope.hitPage(caseId, after);
      if (page.length === 0 && !first) break;
      await csv.write(hitsCsv(page.map(csvRow), first, bom));
      first = false;
      for (const h of page) {
        subjects.add(h.id).add(h.provider_sid);
        await jsonl.write(hitJsonl(h));
      }
      if (page.length === 0) break;
      const last: HitPageRow = page[page.length - 1]!;
      after = { receivedAt: last.received_at, id: last.id };
    }
    return [await csv.close(), await jsonl.close()];
  } catch (e) {
    csv.abort();
    jsonl.abort();
    throw e;
  }
}

async function writeStatusEvents(d: BundleDeps, io: BundleIo, root: string, caseId: string): Promise<Done> {
  const s = new FileSink(io, root, 'data/status-events.jsonl');
  try {
    for (let after = 0; ;) {
      const page = d.cases.scope.statusEventPage(caseId, after);
      if (page.length === 0) break;
      for (const e of page) {
        await s.write(`${JSON.stringify({ id: e.id, callSid: e.call_sid, callStatus: e.call_status, sequenceNumber: e.sequence_number,
          durationSeconds: e.duration_seconds, receivedAt: e.received_at }).slice(0, -1)},"raw":${e.raw}}\n`);
      }
      after = page[page.length - 1]!.id;
    }
    return await s.close();
  } catch (e) {
    s.abort();
    throw e;
  }
}

async function writeTags(d: BundleDeps, io: BundleIo, root: string, files: Done[], m: { caseId: string; head: { seq: number; hash: string }; evidenceManifestSha256: string; who: Actor }) {
  const key = d.key();
  const manifest = manifestText(files);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  const tags: Done[] = [];
  tags.push(await writeWhole(io, root, 'bagit.txt', BAGIT_TXT));
  tags.push(await writeWhole(io, root, 'manifest-sha256.txt', manifest));
  tags.push(await writeWhole(io, root, 'bag-info.txt', bagInfoText([
    ['Source-Organization', 'canary-tracer'],
    ['Bagging-Date', d.clock().toISOString().slice(0, 10)],
    ['Bagging-Time', d.clock().toISOString()],
    ['External-Identifier', m.caseId],
    ['Payload-Oxum', `${bytes}.${files.length}`],
    ['Tracer-Produced-By', m.who.actor],
    ['Tracer-Evidence-Log-Head', `${m.head.seq} ${m.head.hash}`],
    ['Tracer-Evidence-Manifest-Sha256', m.evidenceManifestSha256],
    ['Tracer-Key-Fingerprint', key.fingerprint],
    ['Tracer-Signature', `${SIGNATURE_FILE}: Ed25519 (base64) over tagmanifest-sha256.txt (which lists manifest-sha256.txt and bag-info.txt)`],
  ])));
  tags.push(await writeWhole(io, root, PUBLIC_KEY_FILE, key.publicKeyPem));
  const tagManifest = manifestText(tags);
  await writeWhole(io, root, 'tagmanifest-sha256.txt', tagManifest);
  await writeWhole(io, root, SIGNATURE_FILE, `${key.sign(Buffer.from(tagManifest, 'utf8'))}\n`);
  return { files: files.length, bytes, manifestSha256: sha256hex(manifest), evidenceManifestSha256: m.evidenceManifestSha256, headSeq: m.head.seq, headHash: m.head.hash, keyFingerprint: key.fingerprint };
}

export { isReportFile };
