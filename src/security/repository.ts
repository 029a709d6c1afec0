import type { Db } from '../store/db.ts';

export interface SecurityEventCount {
  id: number;
  minute: string;
  kind: string;
  source: string;
  path: string;
  reason: string;
  count: number;
  firstAt: string;
  lastAt: string;
  /** One request of this kind as it arrived (URL, parameters), capped; null past the minute's sample cap. */
  sample: unknown;
}

interface Row {
  id: number;
  minute: string;
  kind: string;
  source: string;
  path: string;
  reason: string;
  count: number;
  first_at: string;
  last_at: string;
  sample: string | null;
}

const toEvent = (r: Row): SecurityEventCount => ({
  id: r.id, minute: r.minute, kind: r.kind, source: r.source, path: r.path, reason: r.reason, count: r.count,
  firstAt: r.first_at, lastAt: r.last_at, sample: r.sample === null ? null : safeParse(r.sample),
});

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return { truncated: s };
  }
}

export interface CountDelta {
  minute: string;
  kind: string;
  source: string;
  path: string;
  reason: string;
  count: number;
  firstAt: string;
  lastAt: string;
  sample: string | null;
}

/** security_events: the only writer is SecurityEvents (src/security/events.ts). */
export class SecurityEventRepository {
  private readonly upsertStmt;
  private readonly pageStmt;

  constructor(private readonly db: Db) {
    this.upsertStmt = db.prepare(
      `INSERT INTO security_events (minute, kind, source, path, reason, count, first_at, last_at, sample)
       VALUES (@minute, @kind, @source, @path, @reason, @count, @firstAt, @lastAt, @sample)
       ON CONFLICT (minute, source, path, reason) DO UPDATE SET
         count = count + excluded.count,
         last_at = max(last_at, excluded.last_at),
         sample = coalesce(sample, excluded.sample)`,
    );
    this.pageStmt = db.prepare('SELECT * FROM security_events WHERE id < ? ORDER BY id DESC LIMIT ?');
  }

  /** Adds counts; call inside one transaction per flush. */
  add(d: CountDelta): void {
    this.upsertStmt.run(d);
  }

  /** Newest first; `beforeId` is the cursor (the last id of the previous page). */
  page(limit: number, beforeId = Number.MAX_SAFE_INTEGER): SecurityEventCount[] {
    return (this.pageStmt.all(beforeId, limit) as Row[]).map(toEvent);
  }

  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }
}
