import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.ts';
import type { Report, ReportQuery } from './report.ts';
import type { Proposal } from '../parties/proposals.ts';
import type { VerifyOptions, VerifyReport } from '../evidence/verify.ts';

// The worker runs this folder's sources as they are shipped: compiled JavaScript, or TypeScript through tsx.
const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
(workerData.tsx ? import(workerData.tsx).then((tsx) => tsx.register()) : Promise.resolve())
  .then(() => import(workerData.script))
  .catch((err) => parentPort.postMessage({ fatal: String((err && err.stack) || err) }));
`;

function workerSource(): { script: string; tsx: string | null } {
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  const script = new URL(ts ? './report-worker.ts' : './report-worker.js', here).href;
  if (!ts) return { script, tsx: null };
  const cjs = createRequire(here).resolve('tsx/esm/api');
  return { script, tsx: pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href };
}

/**
 * Computes reports (and, on a second instance, evidence verifications) on a worker thread, one at a
 * time, so the webhooks' event loop never waits on a decode or a full read of the store. Started on
 * first use; `close()` ends it.
 */
export class ReportThread {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve(r: any): void; reject(e: Error): void }>();

  constructor(private readonly dbFile: string, private readonly clock: () => Date) {}

  async report(query: ReportQuery, o: { rebuild?: boolean } = {}): Promise<Report> {
    await this.start();
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker!.postMessage({ id, nowMs: this.clock().getTime(), query, rebuild: o.rebuild });
    });
  }

  /** Party proposals computed on the thread (src/parties/auto-propose.ts stores them). */
  async propose(grouped: string[]): Promise<Proposal[]> {
    await this.start();
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker!.postMessage({ id, nowMs: this.clock().getTime(), propose: { grouped } });
    });
  }

  /**
   * Full evidence verification on the thread's read-only connection: at a million hits it reads the
   * whole store for tens of seconds, which on the webhooks' thread would hold every webhook that long.
   */
  async verify(o: VerifyOptions): Promise<VerifyReport> {
    await this.start();
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker!.postMessage({ id, nowMs: this.clock().getTime(), verify: o });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) await w.terminate();
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const { script, tsx } = workerSource();
    const worker = new Worker(BOOTSTRAP, { eval: true, execArgv: [], workerData: { dbFile: this.dbFile, script, tsx } });
    worker.unref();
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: { ready?: boolean; fatal?: string; id?: number; report?: Report; proposals?: Proposal[]; verified?: VerifyReport; error?: { message: string; code?: string; status?: number } }) => {
        if (m.ready) return resolve();
        if (m.fatal) return reject(new Error(`report worker failed to start: ${m.fatal}`));
        const w = this.waiting.get(m.id!);
        if (!w) return;
        this.waiting.delete(m.id!);
        if (m.error) w.reject(m.error.code ? new AppError(m.error.code, m.error.message, m.error.status ?? 500) : new Error(m.error.message));
        else w.resolve(m.report ?? m.proposals ?? m.verified);
      });
      worker.once('error', (err) => {
        reject(err);
        for (const w of this.waiting.values()) w.reject(err);
        this.waiting.clear();
        this.worker = null;
        this.ready = null;
      });
    });
    return this.ready;
  }
}
