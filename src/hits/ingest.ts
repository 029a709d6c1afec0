import { createHash } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { newId } from '../ids.ts';
import { publishEvent } from '../alerts/events.ts';
import type { Hit, HitClassification, HitKind } from './hit.ts';
import type { HitRepository } from './repository.ts';

export interface InboundEvent {
  kind: HitKind;
  sid: string;
  from: string;
  to: string;
  callerName: string | null;
  body: string | null;
  receivedAt: string;
  /** The CallStatus the voice webhook itself carried, folded in like any status callback. */
  callStatus?: string | null;
  raw: Record<string, unknown>;
}

export interface StatusEvent {
  sid: string;
  status: string;
  sequenceNumber: number | null;
  durationSeconds: number | null;
  receivedAt: string;
  raw: Record<string, unknown>;
}

export interface IngestResult {
  hit: Hit;
  duplicate: boolean;
}

const isNewHit = (job: Job, result: unknown) => job.type === 'hit' && !(result as IngestResult).duplicate;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

interface CalledNumber {
  numberId: string;
  status: string;
  isControl: boolean;
  burnInEndsAt: string | null;
  canaryId: string | null;
  firstPlantedAt: string | null;
}

interface CalledRow {
  id: string;
  status: string;
  is_control: number;
  burn_in_ends_at: string | null;
  canary_id: string | null;
  first_planted: string | null;
}

type Job =
  | { type: 'hit'; event: InboundEvent; resolve: (r: IngestResult) => void; reject: (e: unknown) => void }
  | { type: 'status'; event: StatusEvent; resolve: (r: boolean) => void; reject: (e: unknown) => void };

/**
 * Stores hits durably before the webhook answers. Requests that arrive in the same tick share one
 * transaction (group commit): one fsync for many hits, and each caller's promise resolves only
 * after that commit. A batch that fails is retried one job at a time so one bad row cannot sink
 * its neighbours.
 */
export class HitIngestor {
  private queue: Job[] = [];
  private scheduled = false;

  private readonly calledStmt;

  constructor(
    private readonly db: Db,
    private readonly hits: HitRepository,
    private readonly evidence: EvidenceLog,
    private readonly outbox: Outbox,
    private readonly onCommitted: () => void = () => {},
  ) {
    this.calledStmt = db.prepare(
      `SELECT n.id, n.status, n.is_control, n.burn_in_ends_at, c.id AS canary_id,
              (SELECT min(p.planted_at) FROM plantings p WHERE p.canary_id = c.id AND p.planted_at IS NOT NULL) AS first_planted
       FROM canary_numbers n LEFT JOIN canaries c ON c.number_id = n.id
       WHERE n.phone_number = ?`,
    );
  }

  private knownCaller: (from: string) => ((hitId: string) => void) | undefined = () => undefined;

  /**
   * A caller looked up before needs no follow-up job: ingest applies the cached answer in the same
   * transaction. Leak firms ring again and again, so this keeps the outbox for new callers.
   */
  useCallerCache(lookup: (from: string) => ((hitId: string) => void) | undefined): void {
    this.knownCaller = lookup;
  }

  private afterNewHits: () => void = () => {};

  /** Runs in the transaction that stored new hits (once per batch): follow-ups that must not be lost with a crash. */
  onNewHits(fn: () => void): void {
    this.afterNewHits = fn;
  }

  ingest(event: InboundEvent): Promise<IngestResult> {
    return new Promise((resolve, reject) => this.push({ type: 'hit', event, resolve, reject }));
  }

  /** Returns true when the status event was new. */
  recordStatus(event: StatusEvent): Promise<boolean> {
    return new Promise((resolve, reject) => this.push({ type: 'status', event, resolve, reject }));
  }

  private push(job: Job): void {
    this.queue.push(job);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    const results: unknown[] = [];
    try {
      this.db.transaction(() => {
        for (const job of batch) results.push(this.apply(job));
        if (batch.some((job, i) => isNewHit(job, results[i]))) this.afterNewHits();
      })();
      batch.forEach((job, i) => (job.resolve as (r: unknown) => void)(results[i]));
    } catch {
      for (const job of batch) {
        try {
          const r = this.db.transaction(() => {
            const one = this.apply(job);
            if (isNewHit(job, one)) this.afterNewHits();
            return one;
          })();
          (job.resolve as (r: unknown) => void)(r);
        } catch (err) {
          job.reject(err);
        }
      }
    }
    this.onCommitted();
  }

  private apply(job: Job): unknown {
    return job.type === 'hit' ? this.applyHit(job.event) : this.applyStatus(job.event);
  }

  private applyHit(e: InboundEvent): IngestResult {
    const target = this.targetOf(e.to);
    const canaryId = target?.canaryId ?? null;
    const classification = this.classify(target, e.receivedAt);
    const id = newId('hit');
    const row = {
      id, kind: e.kind, providerSid: e.sid, from: e.from, to: e.to, callerName: e.callerName, body: e.body,
      receivedAt: e.receivedAt, numberId: target?.numberId ?? null, canaryId, classification,
    };
    const raw = JSON.stringify(e.raw);
    const initialStatus = e.kind === 'call' ? (e.callStatus ?? null) : null;
    // The unique sid decides: a repeat inserts nothing, and its original answers for it.
    if (!this.hits.insert({ ...row, callStatus: initialStatus, raw })) return { hit: this.hits.findBySid(e.sid)!, duplicate: true };
    // Status callbacks that overtook the call are folded in now; usually there are none.
    const status = e.kind === 'call' && this.hits.hasStatusEvents(e.sid)
      ? this.hits.summariseStatus(e.sid)
      : { callStatus: initialStatus, durationSeconds: null };
    // The entry binds the hit row's canonical form (src/evidence/facts.ts): an edit, a deletion or
    // an inserted row shows on verify. The payload repeats what a reader of the log wants at a glance.
    this.evidence.append(e.receivedAt, 'hit', id, {
      kind: e.kind, sid: e.sid, from: e.from, to: e.to, canaryId, classification, rawSha256: sha256(raw),
    }, { table: 'hits', id });
    const applyKnown = this.knownCaller(e.from);
    if (applyKnown) applyKnown(id);
    else this.outbox.enqueue('enrich-caller', { hitId: id, from: e.from }, e.receivedAt);
    publishEvent(this.outbox, { kind: 'hit-stored', hitId: id }, e.receivedAt);
    return { hit: { ...row, ...status, callerInfo: null, raw: e.raw }, duplicate: false };
  }

  private applyStatus(e: StatusEvent): boolean {
    const raw = JSON.stringify(e.raw);
    const eventId = this.hits.insertStatusEvent(e.sid, e.status, e.sequenceNumber, e.durationSeconds, e.receivedAt, raw);
    if (eventId === null) return false;
    this.hits.summariseStatus(e.sid);
    this.evidence.append(e.receivedAt, 'call-status', e.sid, { status: e.status, durationSeconds: e.durationSeconds, rawSha256: sha256(raw) },
      { table: 'call_status_events', id: eventId });
    return true;
  }

  /** Everything classification needs about the number called, in one indexed read (hot path). */
  private targetOf(phone: string): CalledNumber | undefined {
    const r = this.calledStmt.get(phone) as CalledRow | undefined;
    return r && {
      numberId: r.id, status: r.status, isControl: r.is_control === 1, burnInEndsAt: r.burn_in_ends_at,
      canaryId: r.canary_id, firstPlantedAt: r.first_planted,
    };
  }

  private classify(n: CalledNumber | undefined, at: string): HitClassification {
    if (n?.isControl) return 'control';
    // By time too: a call backfilled after the burn-in ended still belongs to the burn-in it rang in.
    if (n?.status === 'burn-in' || (n?.burnInEndsAt && at < n.burnInEndsAt)) return 'burn-in';
    if (!n?.canaryId) return 'unmatched';
    return n.firstPlantedAt !== null && n.firstPlantedAt <= at ? 'after-planting' : 'before-planting';
  }
}
