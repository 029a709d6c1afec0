// What the CLI, the API and the server do with canary numbers: one domain function each.
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { HitIngestor } from '../hits/ingest.ts';
import type { EventPublisher } from '../alerts/events.ts';
import { AppError, notFound } from '../errors.ts';
import type { NumbersConfig } from './config.ts';
import { NumberLifecycle, type LifecycleStep } from './lifecycle.ts';
import type { PurchaseTerms } from './pool.ts';
import type { NumberProvider } from './provider.ts';
import { NumberProvisioner, type ProvisionInput } from './provisioning.ts';
import { NumberReconciler, type ReconcileProgress, type ReconcileReport } from './reconcile.ts';
import type { PageRequest } from '../store/paging.ts';
import type { CanaryNumber, NumberRepository, NumberStatus } from './repository.ts';
import { expectedWebhooks } from './terms.ts';

export interface NumberServiceDeps {
  db: Db;
  repo: NumberRepository;
  provider: NumberProvider;
  ingestor: HitIngestor;
  evidence: EvidenceLog;
  clock: () => Date;
  log: Logger;
  publicBaseUrl: string;
  config: NumbersConfig;
  terms: PurchaseTerms;
  publish?: EventPublisher;
}

export type NumberView = CanaryNumber & { hits: number; releaseAfter: string | null };

export interface NumberListing {
  numbers: NumberView[];
  nextCursor: string | null;
  /** What the numbers still held cost each month, per currency; `unpriced` have no known price. */
  monthlyTotals: Array<{ currency: string; amount: number; unpriced: number }>;
}

export interface ReleaseOptions {
  now?: boolean;
  /** Release although a planted canary still carries the number; needs a reason. */
  force?: boolean;
  reason?: string;
  /** Who forced it (token id or console user), for the evidence log. */
  actor?: string;
}

export class NumberService {
  readonly lifecycle: NumberLifecycle;
  readonly reconciler: NumberReconciler;
  private readonly provisioner: NumberProvisioner;
  private readonly running = new Set<Promise<unknown>>();
  private sweeping: Promise<LifecycleStep> | null = null;

  constructor(private readonly d: NumberServiceDeps) {
    const { db, repo, provider, evidence, clock, log } = d;
    this.lifecycle = new NumberLifecycle({ db, repo, provider, evidence, clock, log, config: d.config, publish: d.publish });
    this.reconciler = new NumberReconciler({
      db, repo, provider, ingestor: d.ingestor, evidence, clock, log,
      webhooks: expectedWebhooks(d.publicBaseUrl, d.config.voiceFallbackUrl), publish: d.publish,
    });
    this.provisioner = new NumberProvisioner({
      db, repo, provider, evidence, clock, log, terms: d.terms, burnInDays: d.config.burnInDays, monthlyBudget: d.config.monthlyBudget, publish: d.publish,
    });
  }

  get providerName(): NumberProvider['name'] {
    return this.d.provider.name;
  }

  list(filter: { status?: NumberStatus } = {}, page: PageRequest = {}): NumberListing {
    const found = this.d.repo.listWithHits(filter, page);
    return {
      numbers: found.items.map((n) => ({ ...n, releaseAfter: this.releaseAfter(n) })),
      nextCursor: found.nextCursor,
      monthlyTotals: this.d.repo.monthlyTotals().map((t) => ({ ...t, currency: t.currency || 'unpriced' })),
    };
  }

  show(id: string): NumberView & { canaryId: string | null } {
    const n = this.d.repo.find(id) ?? this.d.repo.findByPhone(id);
    if (!n) throw notFound('number', id);
    return { ...n, hits: this.d.repo.hitCount(n.phoneNumber), releaseAfter: this.releaseAfter(n), canaryId: this.d.repo.canaryIdOf(n.id) };
  }

  provision(input: ProvisionInput): Promise<CanaryNumber[]> {
    return this.track(this.provisioner.provision(input));
  }

  /**
   * A number a planted canary still carries is refused: its phone sits in a target's records, and
   * the next owner of the number would get the leak's calls. Withdraw the canary first, or force
   * with a reason, which the evidence log keeps.
   */
  async release(id: string, o: ReleaseOptions = {}): Promise<NumberView & { canaryId: string | null }> {
    const n = this.show(id);
    const live = this.d.repo.livePlantingsOf(n.id);
    if (live > 0 && !o.force) {
      throw new AppError('number-in-use',
        `${n.phoneNumber} is carried by canary ${n.canaryId}, still in ${live} planting(s): withdraw it first ` +
        `(tracer canaries withdraw ${n.canaryId}), or force the release with a reason`, 409);
    }
    if (live > 0) {
      if (!o.reason?.trim()) throw new AppError('reason-required', 'a forced release of a planted canary\'s number needs a reason (it goes into the evidence log)', 400);
      const at = this.d.clock().toISOString();
      this.d.db.transaction(() => this.d.evidence.append(at, 'number-release-forced', n.id, {
        phoneNumber: n.phoneNumber, canaryId: n.canaryId, livePlantings: live, reason: o.reason!.trim(), by: o.actor ?? null,
      }))();
    }
    await this.track(this.lifecycle.release(n.id, o));
    return this.show(n.id);
  }

  /** `tracer numbers sync`: the account against the pool (and backfill), then what the lifecycle has due. */
  async sync(o: { onProgress?: (p: ReconcileProgress) => void } = {}): Promise<{ reconcile: ReconcileReport; lifecycle: LifecycleStep }> {
    const reconcile = await this.track(this.reconciler.reconcile(o.onProgress));
    const lifecycle = await this.track(this.lifecycle.step());
    return { reconcile, lifecycle };
  }

  /** The server's sweep: the lifecycle step, never two at once. */
  sweep(): Promise<LifecycleStep> {
    this.sweeping ??= this.track(this.lifecycle.step()).finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  /** On server start: reconcile off the request path; a failure is logged, never fatal. */
  reconcileInBackground(): void {
    this.track(this.reconciler.reconcile()).then(
      (r) => this.d.log.info({ missing: r.missing.length, webhooksFixed: r.webhooksFixed.length, backfilled: r.backfilled, failures: r.failures.length },
        'numbers reconciled'),
      (err) => this.d.log.warn({ err: (err as Error).message }, 'numbers reconcile failed'),
    );
  }

  /** Ends work in progress before the store closes. */
  async close(): Promise<void> {
    this.reconciler.stop();
    await Promise.allSettled([...this.running]);
  }

  private releaseAfter(n: CanaryNumber): string | null {
    return n.status === 'retired' ? this.lifecycle.quarantineEnd(n) : null;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
    return work;
  }
}
