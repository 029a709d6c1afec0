import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';

/**
 * A job does its slow part (network) in the handler and returns what it wants written as a
 * synchronous function; the outbox applies those writes for a whole batch of jobs in one
 * transaction, together with marking them done. One fsync per batch, never one per job: the
 * webhook writer shares this store and must not queue behind the worker.
 */
export type JobWrite = () => void;
export type JobHandler = (payload: any) => Promise<JobWrite | void>;

interface OutboxRow {
  id: number;
  kind: string;
  payload: string;
  attempts: number;
}

export const MAX_ATTEMPTS = 8;
const BATCH = 100;

/**
 * Exponential backoff with "equal jitter": half the delay fixed, half random, so jobs that failed
 * together (a receiver down) do not all come back in the same instant. A delay, not a retry loop:
 * the retry is a row in the store and survives a restart, which in-process retry packages cannot do.
 */
export function retryDelayMs(attempt: number, baseMs = 1000, capMs = 300_000, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export class Outbox {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly enqueueStmt;
  private readonly dueStmt;
  private readonly doneStmt;
  private readonly failStmt;
  private draining: Promise<number> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    private readonly log: Logger,
  ) {
    this.enqueueStmt = db.prepare('INSERT INTO outbox (kind, payload, created_at, available_at) VALUES (?, ?, ?, ?)');
    this.dueStmt = db.prepare(
      `SELECT id, kind, payload, attempts FROM outbox
       WHERE done_at IS NULL AND available_at <= ? AND attempts < ? ORDER BY id LIMIT ?`,
    );
    this.doneStmt = db.prepare('UPDATE outbox SET done_at = ?, attempts = attempts + 1 WHERE id = ?');
    this.failStmt = db.prepare('UPDATE outbox SET attempts = ?, available_at = ?, last_error = ? WHERE id = ?');
  }

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /**
   * Call inside the transaction that records the fact the job follows from. `availableAt` defers
   * the job (a retry's backoff, a digest due when its throttle window closes).
   */
  enqueue(kind: string, payload: unknown, at: string, availableAt: string = at): void {
    this.enqueueStmt.run(kind, JSON.stringify(payload), at, availableAt);
  }

  pending(): number {
    return this.db.prepare('SELECT count(*) FROM outbox WHERE done_at IS NULL').pluck().get() as number;
  }

  /** Runs due jobs until none is left; concurrent callers share one pass. Returns jobs completed. */
  drain(): Promise<number> {
    this.draining ??= this.runDue().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async runDue(): Promise<number> {
    let done = 0;
    for (;;) {
      const jobs = this.dueStmt.all(this.clock().toISOString(), MAX_ATTEMPTS, BATCH) as OutboxRow[];
      if (jobs.length === 0) return done;
      const outcomes = await Promise.all(jobs.map((job) => this.runHandler(job)));
      const at = this.clock().toISOString();
      this.db.transaction(() => {
        outcomes.forEach((o, i) => {
          const job = jobs[i]!;
          if (!o.ok) return this.fail(job, o.error);
          // Each job's write in its own savepoint: one that throws is retried alone, never sinking the batch.
          try {
            this.db.transaction(() => {
              o.write?.();
              this.doneStmt.run(at, job.id);
            })();
            done++;
          } catch (err) {
            this.log.warn({ jobId: job.id, kind: job.kind, err: (err as Error).message }, 'outbox job write failed');
            this.fail(job, `write failed: ${(err as Error).message}`);
          }
        });
      })();
    }
  }

  private fail(job: OutboxRow, error: string): void {
    const attempts = job.attempts + 1;
    const retryAt = new Date(this.clock().getTime() + retryDelayMs(attempts)).toISOString();
    this.failStmt.run(attempts, retryAt, error.slice(0, 500), job.id);
  }

  private async runHandler(job: OutboxRow): Promise<{ ok: true; write?: JobWrite } | { ok: false; error: string }> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler registered for job kind "${job.kind}"`);
      const write = await handler(JSON.parse(job.payload));
      return { ok: true, write: write ?? undefined };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.log.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts + 1, err: error }, 'outbox job failed');
      return { ok: false, error };
    }
  }
}
