// Security events (forged or undecodable webhooks) are counted, not logged one by one: a flood of
// forgeries must neither fill the disk nor slow genuine hits. Counts gather in memory per
// (minute, source, path, reason) and are written once a second in one transaction; each kind keeps
// one raw sample, for the first SAMPLE_KINDS_PER_MINUTE kinds of a minute, capped at SAMPLE_BYTES.
// Past MAX_KINDS_PER_MINUTE distinct kinds, further sources are counted under source "(other)".
// A crash loses at most the last second of counts; never a hit (hits are not written here).
import type { Logger } from '../log.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { CountDelta, SecurityEventRepository } from './repository.ts';

export interface SecurityEventInput {
  kind: 'webhook-forgery';
  path: string;
  source: string | null;
  reason: string;
  /** What arrived, for the sample: URL and parameters. Only serialised for sampled kinds. */
  detail: () => unknown;
}

export interface SecurityEventLimits {
  flushMs: number;
  maxKindsPerMinute: number;
  sampleKindsPerMinute: number;
  sampleBytes: number;
  /** Forgeries of one (source, path) in one minute that raise a forged-burst event. */
  burstThreshold: number;
}

export const DEFAULT_SECURITY_LIMITS: SecurityEventLimits = {
  flushMs: 1000, maxKindsPerMinute: 200, sampleKindsPerMinute: 20, sampleBytes: 4096, burstThreshold: 100,
};

/** The outbox job that carries events to alerts (i12's EVENT_JOB) and the forged-burst payload. */
export const ALERT_EVENT_JOB = 'alert-event';
export interface ForgedBurstEvent {
  kind: 'forged-burst';
  count: number;
  windowSeconds: number;
  path?: string;
  remoteAddrs?: string[];
}

interface Bucket extends CountDelta {
  total: number;
  bursted: boolean;
}

export class SecurityEvents {
  private buckets = new Map<string, Bucket>();
  private kindsByMinute = new Map<string, { kinds: number; samples: number }>();
  private dirty = new Set<Bucket>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repo: SecurityEventRepository,
    private readonly outbox: Pick<Outbox, 'enqueue'>,
    private readonly clock: () => Date,
    private readonly log: Logger,
    private readonly limits: SecurityEventLimits = DEFAULT_SECURITY_LIMITS,
  ) {}

  /** Counts one event; O(1), no I/O. The write happens on the next flush. */
  record(e: SecurityEventInput): void {
    const at = this.clock().toISOString();
    const minute = at.slice(0, 16);
    const bucket = this.bucketFor(minute, e, at);
    bucket.count++;
    bucket.total++;
    bucket.lastAt = at;
    this.dirty.add(bucket);
    this.timer ??= setTimeout(() => this.flush(), this.limits.flushMs).unref();
  }

  /** Writes what was counted since the last flush, in one transaction. Returns rows touched. */
  flush(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = [...this.dirty];
    this.dirty.clear();
    if (batch.length === 0) return 0;
    const now = this.clock().toISOString();
    this.repo.transaction(() => {
      for (const b of batch) {
        this.repo.add(b);
        if (!b.bursted && b.total >= this.limits.burstThreshold) {
          b.bursted = true;
          const event: ForgedBurstEvent = { kind: 'forged-burst', count: b.total, windowSeconds: 60, path: b.path, remoteAddrs: [b.source] };
          this.outbox.enqueue(ALERT_EVENT_JOB, { event, occurredAt: now }, now);
        }
      }
    });
    for (const b of batch) {
      b.count = 0;
      b.sample = null;
    }
    this.forgetOldMinutes(now.slice(0, 16));
    return batch.length;
  }

  /** Newest first; `beforeId` from the previous page's nextId. */
  page(limit: number, beforeId?: number): { events: ReturnType<SecurityEventRepository['page']>; nextId: number | null } {
    const rows = this.repo.page(limit + 1, beforeId);
    const events = rows.slice(0, limit);
    return { events, nextId: rows.length > limit ? events[events.length - 1]!.id : null };
  }

  close(): void {
    this.flush();
  }

  private bucketFor(minute: string, e: SecurityEventInput, at: string): Bucket {
    let source = e.source ?? '';
    const seen = this.kindsByMinute.get(minute) ?? { kinds: 0, samples: 0 };
    this.kindsByMinute.set(minute, seen);
    let key = `${minute}\u0000${source}\u0000${e.path}\u0000${e.reason}`;
    let bucket = this.buckets.get(key);
    if (bucket) return bucket;
    if (seen.kinds >= this.limits.maxKindsPerMinute) {
      source = '(other)';
      key = `${minute}\u0000${source}\u0000${e.path}\u0000${e.reason}`;
      bucket = this.buckets.get(key);
      if (bucket) return bucket;
    }
    seen.kinds++;
    const sampled = seen.samples < this.limits.sampleKindsPerMinute;
    if (sampled) seen.samples++;
    bucket = {
      minute, kind: e.kind, source, path: e.path, reason: e.reason, count: 0, firstAt: at, lastAt: at,
      sample: sampled ? capped(e.detail(), this.limits.sampleBytes) : null, total: 0, bursted: false,
    };
    this.buckets.set(key, bucket);
    this.log.warn({ path: e.path, source, reason: e.reason }, 'rejected webhook (further ones this minute are counted)');
    return bucket;
  }

  private forgetOldMinutes(current: string): void {
    for (const [key, b] of this.buckets) if (b.minute < current && !this.dirty.has(b)) this.buckets.delete(key);
    for (const minute of this.kindsByMinute.keys()) if (minute < current) this.kindsByMinute.delete(minute);
  }
}

/** The sample as JSON text, cut to `max` bytes (a cut sample is kept as a string, marked truncated). */
function capped(detail: unknown, max: number): string {
  const text = JSON.stringify(detail);
  if (Buffer.byteLength(text) <= max) return text;
  return JSON.stringify({ truncated: Buffer.from(text).subarray(0, max - 64).toString('utf8') });
}
