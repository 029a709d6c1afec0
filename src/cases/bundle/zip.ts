import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { nodeIo, type BundleIo } from './sink.ts';

// A serialised bag is one top-level folder inside the archive (RFC 8493 §4.2). yazl (a small,
// well-kept streaming zip writer) streams each file from disk, so a large bag is never in memory.

export function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(root, r));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

export async function zipDirectory(dir: string, file: string, top: string, io: BundleIo = nodeIo): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const rel of listFiles(dir)) zip.addFile(path.join(dir, rel), `${top}/${rel}`, { mtime: new Date(0) });
  zip.end();
  await pipeline(zip.outputStream, io.createWriteStream(file));
}
