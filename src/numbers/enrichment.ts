import type { EventPublisher } from '../alerts/events.ts';
// Caller enrichment, an outbox job: after a hit is stored (never on the webhook path), look its
// caller up (Lookup v2: caller name, line type), cache the answer per caller number, and keep to
// LOOKUP_DAILY_BUDGET look-ups per UTC day. Over budget, the hit records why it has no look-up and
// the job is done — it is not retried forever.
import type { Logger } from '../log.ts';
import type { HitRepository } from '../hits/repository.ts';
import type { JobWrite } from '../outbox/outbox.ts';
import type { CallerLookupRepository, CallerLookupResult } from './caller-lookups.ts';
import type { CallerInfo, NumberProvider } from './provider.ts';
import { ProviderError } from './twilio/errors.ts';

export interface EnricherDeps {
  hits: HitRepository;
  lookups: CallerLookupRepository;
  provider: NumberProvider;
  clock: () => Date;
  log: Logger;
  dailyBudget: number;
  /** Publishes `budget-near-cap` when the day's look-ups first pass 80 % of the budget. */
  publish?: EventPublisher;
}

type Outcome = { info: CallerInfo; at: string } | { failed: string; at: string };

const E164 = /^\+[1-9]\d{6,14}$/;
/** Share of the daily look-up budget at which alerts hear that it is nearly spent. */
const NEAR_CAP = 0.8;

export class CallerEnricher {
  /** Look-ups on their way: concurrent hits from one caller share one, and count once. */
  private readonly inflight = new Map<string, Promise<Outcome>>();
  /** Look-ups started and not yet written to lookup_spend. */
  private reserved = 0;

  constructor(private readonly d: EnricherDeps) {}

  /** For ingest: the write that applies a cached answer for this caller, when there is one. */
  readonly cachedWrite = (from: string): ((hitId: string) => void) | undefined => {
    const cached = E164.test(from) ? this.d.lookups.cached(from) : undefined;
    return cached && ((hitId: string) => this.d.lookups.applyToHit(hitId, cached));
  };

  /** The 'enrich-caller' job: slow part here, the writes returned for the outbox's batch transaction. */
  readonly enrichCaller = async (p: { hitId: string }): Promise<JobWrite | void> => {
    const hit = this.d.hits.get(p.hitId);
    if (!hit) return;
    const write = (result: CallerLookupResult, extra: () => void = () => {}): JobWrite => () => {
      extra();
      this.d.lookups.applyToHit(hit.id, result);
    };
    if (!E164.test(hit.from)) return write({ status: 'skipped', reason: 'the caller withheld or has no phone number' });
    const cached = this.d.lookups.cached(hit.from);
    if (cached) return write(cached);

    let pending = this.inflight.get(hit.from);
    let mine = false;
    if (!pending) {
      const day = this.d.clock().toISOString().slice(0, 10);
      if (this.d.lookups.spent(day) + this.reserved >= this.d.dailyBudget) {
        return write({ status: 'skipped', reason: `the daily look-up budget (LOOKUP_DAILY_BUDGET=${this.d.dailyBudget}) was used up on ${day}` });
      }
      this.reserved++;
      mine = true;
      pending = this.lookUp(hit.from).finally(() => this.inflight.delete(hit.from));
      this.inflight.set(hit.from, pending);
    }
    let outcome: Outcome;
    try {
      outcome = await pending;
    } catch (err) {
      if (mine) this.reserved--;
      throw err; // the provider did not answer: nothing was spent, the outbox retries later
    }
    const count = () => {
      if (!mine) return;
      const day = outcome.at.slice(0, 10);
      const before = this.d.lookups.spent(day);
      this.d.lookups.countLookup(day);
      this.reserved--;
      const near = NEAR_CAP * this.d.dailyBudget;
      if (before < near && before + 1 >= near) {
        this.d.publish?.({ kind: 'budget-near-cap', budget: 'lookups-daily', amount: before + 1, cap: this.d.dailyBudget, currency: null }, outcome.at);
      }
    };
    if ('failed' in outcome) return write({ status: 'failed', reason: outcome.failed }, count);
    const { info, at } = outcome;
    const found: CallerLookupResult = {
      status: 'found', source: 'lookup', callerName: info.callerName, callerType: info.callerType,
      lineType: info.lineType, carrierName: info.carrierName, lookedUpAt: at,
    };
    return write(found, () => {
      count();
      this.d.lookups.remember(info, at);
    });
  };

  private async lookUp(caller: string): Promise<Outcome> {
    const at = this.d.clock().toISOString();
    try {
      return { info: await this.d.provider.lookupCaller(caller), at };
    } catch (err) {
      if (err instanceof ProviderError && err.code === 'provider-unavailable') throw err;
      const reason = err instanceof Error ? err.message : String(err);
      this.d.log.warn({ err: reason }, 'caller look-up failed');
      return { failed: reason, at };
    }
  }
}
