// Party proposals run by themselves: a batch of new hits schedules one `propose-parties` outbox job,
// due PROPOSE_DEBOUNCE_MS later, unless one is already pending — so a burst of calls costs one pass
// over the hits, after the burst, off the webhook's path (the 200 to Twilio waits only for the hit's
// own commit). The job is a row written with the hits, so a crash between the two loses neither.
// Running it twice is harmless: proposals only group numbers in no party yet, and each new party's
// party-appeared event commits with it (src/parties/service.ts), so re-runs, restarts and replayed
// webhooks neither duplicate a party nor its event.
import type { Db } from '../store/db.ts';
import { MAX_ATTEMPTS, type Outbox } from '../outbox/outbox.ts';
import type { PartyService } from './service.ts';
import type { ReportThread } from '../attribution/report-thread.ts';

export const PROPOSE_JOB = 'propose-parties';
/** Quiet time after a batch of hits before proposals run: calls of one firm arrive in bursts. */
export const PROPOSE_DEBOUNCE_MS = 60_000;

export class PartyProposalSchedule {
  private readonly pendingStmt;

  constructor(private readonly db: Db, private readonly outbox: Outbox, private readonly clock: () => Date) {
    this.pendingStmt = db.prepare('SELECT 1 FROM outbox WHERE kind = ? AND done_at IS NULL AND attempts < ? LIMIT 1').pluck();
  }

  /** Call inside the transaction that stored new hits (HitIngestor.onNewHits). */
  afterNewHits(): void {
    if (this.pendingStmt.get(PROPOSE_JOB, MAX_ATTEMPTS)) return;
    const now = this.clock();
    this.outbox.enqueue(PROPOSE_JOB, {}, now.toISOString(), new Date(now.getTime() + PROPOSE_DEBOUNCE_MS).toISOString());
  }

  /**
   * The job: proposals computed on the report's thread when there is one (a pass over every hit:
   * 0.6 s at 100k hits, which the webhooks' event loop must not spend), then written in the outbox's
   * batch transaction with their events.
   */
  register(parties: PartyService, thread: Pick<ReportThread, 'propose'> | null): void {
    this.outbox.register(PROPOSE_JOB, async () => {
      const computed = thread ? await thread.propose(parties.groupedNumbers()) : undefined;
      return () => {
        parties.propose('tracer (after new hits)', computed);
      };
    });
  }
}
