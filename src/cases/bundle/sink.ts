import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** How the bundle writes files; tests swap in one that fails part-way (a disk that fills). */
export interface BundleIo {
  createWriteStream(file: string): Writable;
}
export const nodeIo: BundleIo = { createWriteStream: (file) => fs.createWriteStream(file, { flags: 'wx' }) };

/** A file being written: hashed and counted as it goes, with backpressure, errors surfaced on the next write. */
export class FileSink {
  private readonly hash = createHash('sha256');
  private error: Error | null = null;
  bytes = 0;
  private readonly stream: Writable;

  constructor(io: BundleIo, readonly root: string, readonly rel: string) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    this.stream = io.createWriteStream(path.join(root, rel));
    this.stream.on('error', (e) => (this.error ??= e));
  }

  async write(chunk: string | Buffer): Promise<void> {
    if (this.error) throw this.error;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.hash.update(buf);
    this.bytes += buf.length;
    if (!this.stream.write(buf)) {
      await new Promise<void>((resolve, reject) => {
        const done = () => { this.stream.off('error', fail); resolve(); };
        const fail = (e: Error) => { this.stream.off('drain', done); reject(e); };
        this.stream.once('drain', done);
        this.stream.once('error', fail);
      });
    }
    if (this.error) throw this.error;
  }

  /** Ends the file and returns its SHA-256 (hex). */
  async close(): Promise<{ rel: string; sha256: string; bytes: number }> {
    if (this.error) throw this.error;
    this.stream.end();
    await finished(this.stream);
    if (this.error) throw this.error;
    return { rel: this.rel, sha256: this.hash.digest('hex'), bytes: this.bytes };
  }

  /** Closes after a failure, ignoring what the stream says. */
  abort(): void {
    this.stream.destroy();
  }
}

export async function writeWhole(io: BundleIo, root: string, rel: string, data: string | Buffer) {
  const s = new FileSink(io, root, rel);
  try {
    await s.write(data);
    return await s.close();
  } catch (e) {
    s.abort();
    throw e;
  }
}
