import { createHash } from 'node:crypto';

// BagIt (RFC 8493) text files, written and read the same way by the exporter and the verifier.

export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';
export const SIGNATURE_FILE = 'tagmanifest-sha256.txt.sig';
export const PUBLIC_KEY_FILE = 'instance-public-key.pem';
export const SLICE_FILE = 'data/evidence/log-slice.jsonl';
export const NOTES_FILE = 'data/notes.jsonl';
export const PARTIES_FILE = 'data/parties.json';
/** The report files: left out of the evidence manifest hash the report itself prints. */
export const isReportFile = (rel: string) => /^data\/report\.(html|pdf)$/.test(rel);

export const sha256hex = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

/** Manifest lines "<sha256>  <path>", sorted by path; RFC 8493 percent-encodes CR, LF and % in paths. */
export function manifestText(files: Array<{ rel: string; sha256: string }>): string {
  const enc = (p: string) => p.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return [...files].sort((a, b) => a.rel.localeCompare(b.rel)).map((f) => `${f.sha256}  ${enc(f.rel)}\n`).join('');
}

export function parseManifest(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^([0-9a-f]{64}) {1,2}(.+)$/.exec(line);
    if (!m) throw new Error(`not a manifest line: ${JSON.stringify(line.slice(0, 80))}`);
    const rel = m[2]!.replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%25/g, '%');
    out.set(rel, m[1]!);
  }
  return out;
}

export function bagInfoText(fields: Array<[string, string]>): string {
  return fields.map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, ' ')}\n`).join('');
}

export function parseBagInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}
