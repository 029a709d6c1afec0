import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';

export type JobHandler = (payload: any) => Promise<void>;

interface OutboxRow {
  id: number;
  kind: string;
  payload: string;
  attempts: number;
}

const MAX_ATTEMPTS = 8;

/**
 * Follow-up work (caller look-ups, alerts) is written in the same transaction as the hit and done
 * later by drain(), so the webhook never waits on the network and a restart resumes the queue.
 */
export class Outbox {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly enqueueStmt;
  private draining: Promise<number> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    private readonly log: Logger,
  ) {
    this.enqueueStmt = db.prepare(
      'INSERT INTO outbox (kind, payload, created_at, available_at) VALUES (?, ?, ?, ?)',
    );
  }

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Call inside the transaction that records the fact the job follows from. */
  enqueue(kind: string, payload: unknown, at: string): void {
    this.enqueueStmt.run(kind, JSON.stringify(payload), at, at);
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
      const now = this.clock().toISOString();
      const jobs = this.db
        .prepare(
          `SELECT id, kind, payload, attempts FROM outbox
           WHERE done_at IS NULL AND available_at <= ? AND attempts < ? ORDER BY id LIMIT 50`,
        )
        .all(now, MAX_ATTEMPTS) as OutboxRow[];
      if (jobs.length === 0) return done;
      for (const job of jobs) done += (await this.runOne(job)) ? 1 : 0;
    }
  }

  private async runOne(job: OutboxRow): Promise<boolean> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler registered for job kind "${job.kind}"`);
      await handler(JSON.parse(job.payload));
      this.db.prepare('UPDATE outbox SET done_at = ?, attempts = attempts + 1 WHERE id = ?').run(this.clock().toISOString(), job.id);
      return true;
    } catch (err) {
      const attempts = job.attempts + 1;
      const retryAt = new Date(this.clock().getTime() + 2 ** attempts * 1000).toISOString();
      this.db
        .prepare('UPDATE outbox SET attempts = ?, available_at = ?, last_error = ? WHERE id = ?')
        .run(attempts, retryAt, String((err as Error).message).slice(0, 500), job.id);
      this.log.warn({ jobId: job.id, kind: job.kind, attempts, err: (err as Error).message }, 'outbox job failed');
      return false;
    }
  }
}
