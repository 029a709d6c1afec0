// Drawing identities is most of a campaign's CPU time (names, spellings, wording). Worker threads
// draw the next batch while the main thread writes the current one to the stores and the target.
import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CanaryIdentity, Locale, PlantingVariant } from '../identities/types.ts';
import type { DrawRequest } from './identity-worker.ts';

export interface DrawnIdentity {
  identity: CanaryIdentity;
  variants: PlantingVariant[];
}

// Workers load the TypeScript sources the way bin/tracer.mjs does: tsx's register(), resolved here.
const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.tsx)
  .then((tsx) => (tsx.register(), import(workerData.script)))
  .catch((err) => parentPort.postMessage({ fatal: String((err && err.stack) || err) }));
`;

/** tsx's ESM API entry (its CommonJS build cannot register hooks from an eval'd worker). */
function tsxEsmApi(): string {
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
}

export class IdentityWorkers {
  private readonly workers: Worker[];
  private readonly ready: Promise<void>;
  private readonly waiting = new Map<number, { resolve(items: DrawnIdentity[]): void; reject(err: Error): void }>();
  private seq = 0;

  get size(): number {
    return this.workers.length;
  }

  /** One worker per spare core, at most four: the main thread and the databases need the rest. */
  static defaultSize(): number {
    return Math.max(1, Math.min(4, os.availableParallelism() - 1));
  }

  constructor(size = IdentityWorkers.defaultSize()) {
    const workerData = {
      tsx: tsxEsmApi(),
      // Compiled (dist/*.js) or run from the sources: the worker is the sibling of this very file.
      script: new URL(import.meta.url.endsWith('.js') ? './identity-worker.js' : './identity-worker.ts', import.meta.url).href,
    };
    this.workers = Array.from({ length: size }, () => new Worker(BOOTSTRAP, { eval: true, execArgv: [], workerData }));
    this.ready = Promise.all(this.workers.map((w) => new Promise<void>((resolve, reject) => {
      w.on('error', (err) => this.failAll(err));
      w.on('message', (m: { ready?: true; fatal?: string; id?: number; items?: DrawnIdentity[]; error?: string }) => {
        if (m.ready) return resolve();
        if (m.fatal) return reject(new Error(`identity worker failed to start: ${m.fatal}`));
        const w8 = this.waiting.get(m.id!);
        this.waiting.delete(m.id!);
        if (m.error) w8?.reject(new Error(m.error));
        else w8?.resolve(m.items!);
      });
    }))).then(() => undefined);
  }

  /** Identities for these canary numbers, in order, spread over the workers. */
  async draw(locale: Locale, phones: string[], variants: number, now: Date): Promise<DrawnIdentity[]> {
    await this.ready;
    const per = Math.ceil(phones.length / this.workers.length);
    const parts = this.workers.map((w, i) => {
      const slice = phones.slice(i * per, (i + 1) * per);
      if (slice.length === 0) return Promise.resolve([]);
      const id = ++this.seq;
      const req: DrawRequest = { id, locale, phones: slice, variants, now: now.toISOString() };
      return new Promise<DrawnIdentity[]>((resolve, reject) => {
        this.waiting.set(id, { resolve, reject });
        w.postMessage(req);
      });
    });
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
