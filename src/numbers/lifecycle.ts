// burn-in → ready (some kept as controls) or retired; assigned → retired → released after the
// quarantine. One step does what is due at `now`; it writes only when something changes, so the
// server can run it on every sweep.
import { randomInt } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { EventPublisher } from '../alerts/events.ts';
import { AppError, notFound } from '../errors.ts';
import type { NumbersConfig } from './config.ts';
import type { NumberProvider } from './provider.ts';
import type { CanaryNumber, NumberRepository, RetiredReason } from './repository.ts';
import { ProviderError } from './twilio/errors.ts';

const DAY_MS = 86_400_000;
/** A release that failed is tried again at most this often (the number stays marked meanwhile). */
const RELEASE_RETRY_MS = 3_600_000;

export interface LifecycleDeps {
  db: Db;
  repo: NumberRepository;
  provider: NumberProvider;
  evidence: EvidenceLog;
  clock: () => Date;
  log: Logger;
  config: Pick<NumbersConfig, 'burnInMaxHits' | 'controlShare' | 'quarantineDays'>;
  publish?: EventPublisher;
}

type Brief = { id: string; phoneNumber: string };

export interface LifecycleStep {
  ready: Array<Brief & { isControl: boolean; burnInHits: number }>;
  retired: Array<Brief & { burnInHits: number }>;
  released: Brief[];
  releaseFailed: Array<Brief & { error: string }>;
}

export class NumberLifecycle {
  constructor(private readonly d: LifecycleDeps) {}

  /** Everything due at `now`: burn-ins that ended, then releases whose quarantine is over. */
  async step(now: Date = this.d.clock()): Promise<LifecycleStep> {
    const { ready, retired } = this.finishBurnIns(now);
    const { released, releaseFailed } = await this.releaseDue(now);
    return { ready, retired, released, releaseFailed };
  }

  /**
   * Numbers whose burn-in is over: quiet ones become ready, noisy ones (more hits than
   * BURN_IN_MAX_HITS) are retired unplanted. Per country, CONTROL_SHARE of the numbers that came
   * out ready are kept as controls, picked at random among those promoted together.
   */
  finishBurnIns(now: Date = this.d.clock()): Pick<LifecycleStep, 'ready' | 'retired'> {
    const at = now.toISOString();
    const due = shuffle(this.d.repo.burnInDue(at));
    const out: Pick<LifecycleStep, 'ready' | 'retired'> = { ready: [], retired: [] };
    if (due.length === 0) return out;
    this.d.db.transaction(() => {
      for (const n of due) {
        const burnInHits = this.d.repo.hitCount(n.phoneNumber, n.burnInEndsAt!);
        if (burnInHits > this.d.config.burnInMaxHits) {
          this.d.repo.retire(n.id, at, 'burn-in-traffic');
          this.record(at, n, 'retired', { reason: 'burn-in-traffic', burnInHits, threshold: this.d.config.burnInMaxHits });
          out.retired.push({ id: n.id, phoneNumber: n.phoneNumber, burnInHits });
          continue;
        }
        const { ready, controls } = this.d.repo.burnedInCounts(n.country);
        const isControl = controls < Math.round(this.d.config.controlShare * (ready + 1));
        this.d.repo.markReady(n.id, at, isControl);
        this.record(at, n, 'ready', { isControl, burnInHits });
        out.ready.push({ id: n.id, phoneNumber: n.phoneNumber, isControl, burnInHits });
      }
    })();
    return out;
  }

  /**
   * A canary withdrawn or retired: its number leaves service for good. It stays on the account
   * through the quarantine (late calls from a leak are still evidence), then is released.
   * Safe inside the caller's transaction. Returns the number, or undefined when it already was retired.
   */
  retireNumberOfCanary(canaryId: string, at: string = this.d.clock().toISOString()): CanaryNumber | undefined {
    const n = this.d.repo.numberOfCanary(canaryId);
    if (!n) throw notFound('canary', canaryId);
    return this.retire(n, at, 'canary-retired', { canaryId });
  }

  /**
   * Staff release a number: one never given to a canary is released at once; one that was, after
   * its quarantine, unless `now` says at once. A number whose release failed is tried again.
   */
  async release(id: string, o: { now?: boolean } = {}): Promise<{ number: CanaryNumber; releaseAfter: string | null }> {
    const n = this.d.repo.find(id);
    if (!n) throw notFound('number', id);
    if (n.status === 'released') throw new AppError('conflict', `number ${n.phoneNumber} was released on ${n.releasedAt}`, 409);
    const at = this.d.clock().toISOString();
    this.retire(n, at, 'released-by-staff', {});
    const retired = this.d.repo.find(id)!;
    const releaseAfter = this.quarantineEnd(retired);
    if (releaseAfter !== null && !o.now && releaseAfter > at) return { number: retired, releaseAfter };
    const outcome = await this.releaseOne(retired, at);
    if ('error' in outcome) throw new AppError('release-failed', `releasing ${n.phoneNumber} failed, the number stays marked: ${outcome.error}`, 502);
    return { number: this.d.repo.find(id)!, releaseAfter: null };
  }

  /** When a retired number may be released: at once if no canary ever had it. */
  quarantineEnd(n: CanaryNumber): string | null {
    if (n.assignedAt === null || n.retiredAt === null) return null;
    return new Date(Date.parse(n.retiredAt) + this.d.config.quarantineDays * DAY_MS).toISOString();
  }

  private async releaseDue(now: Date): Promise<Pick<LifecycleStep, 'released' | 'releaseFailed'>> {
    const quarantineEndedFor = new Date(now.getTime() - this.d.config.quarantineDays * DAY_MS).toISOString();
    const retryBefore = new Date(now.getTime() - RELEASE_RETRY_MS).toISOString();
    const out: Pick<LifecycleStep, 'released' | 'releaseFailed'> = { released: [], releaseFailed: [] };
    for (const n of this.d.repo.dueForRelease(quarantineEndedFor, retryBefore)) {
      const outcome = await this.releaseOne(n, now.toISOString());
      if ('error' in outcome) out.releaseFailed.push({ id: n.id, phoneNumber: n.phoneNumber, error: outcome.error });
      else out.released.push({ id: n.id, phoneNumber: n.phoneNumber });
    }
    return out;
  }

  private async releaseOne(n: CanaryNumber, at: string): Promise<{ ok: true } | { error: string }> {
    let note: string | undefined;
    try {
      if (n.providerSid) await this.d.provider.release(n.providerSid);
    } catch (err) {
      // Already gone from the account: released is what it is.
      if (err instanceof ProviderError && err.providerStatus === 404) note = 'already gone from the account';
      else {
        const error = err instanceof AppError ? `${err.code}: ${err.message}` : String(err);
        this.d.db.transaction(() => {
          this.d.repo.markReleaseFailed(n.id, at, error);
          this.record(at, n, 'release-failed', { error });
          this.d.publish?.({ kind: 'number-release-failed', numberId: n.id, last4: n.phoneNumber.slice(-4), error }, at);
        })();
        this.d.log.warn({ numberId: n.id, err: error }, 'number release failed; it stays marked');
        return { error };
      }
    }
    this.d.db.transaction(() => {
      this.d.repo.markReleased(n.id, at);
      this.record(at, n, 'released', note ? { note } : {});
    })();
    return { ok: true };
  }

  private retire(n: CanaryNumber, at: string, reason: RetiredReason, extra: Record<string, unknown>): CanaryNumber | undefined {
    return this.d.db.transaction(() => {
      if (!this.d.repo.retire(n.id, at, reason)) return undefined;
      this.record(at, n, 'retired', { reason, ...extra });
      return this.d.repo.find(n.id);
    })();
  }

  private record(at: string, n: CanaryNumber, to: string, detail: Record<string, unknown>): void {
    this.d.evidence.append(at, 'number-lifecycle', n.id, { phoneNumber: n.phoneNumber, from: n.status, to, ...detail });
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
