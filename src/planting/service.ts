// What happens to plantings after creation: staff confirm an import or a call, canaries are
// withdrawn, plantings are re-read (verify) and crash leftovers settled (reconcile). Every one of
// these facts goes into the evidence log with the change it records, in one transaction.
import { z } from 'zod';
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import { AppError, notFound } from '../errors.ts';
import type { Channel, ChannelRepository } from '../channels/channels.ts';
import type { CanaryRepository, Planting } from '../canaries/repository.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import { IntakeCallTarget } from './intake/target.ts';
import type { Page, PageRequest } from '../store/paging.ts';
import type { PlantingFilter, PlantingListItem, PlantingRepository } from './repository.ts';
import { isAwaiting, type PlantingRequest, type PlantingTarget, type TargetRegistry, type VerifyResult } from './target.ts';

export const PLANTING_STATUSES = ['pending', 'awaiting-confirmation', 'planted', 'withdrawn', 'not-planted', 'needs-review'] as const satisfies ReadonlyArray<Planting['status']>;
export const listFilter = z.object({ status: z.enum(PLANTING_STATUSES).optional(), canaryId: z.string().max(100).optional() });

export const confirmInput = z.object({
  ref: z.string().trim().min(1).max(100),
  /** When the import ran or the call was made; default now. */
  at: z.iso.datetime({ offset: true }).optional(),
});

export const reconcileInput = z.object({
  /** Younger pendings may be creations still in progress. */
  olderThanMinutes: z.number().min(0).max(100_000).default(10),
  /** Withdraw canaries found in a target instead of keeping them planted. */
  withdraw: z.boolean().default(false),
});

export interface PlantingServiceDeps {
  db: Db;
  plantings: PlantingRepository;
  canaries: CanaryRepository;
  channels: ChannelRepository;
  targets: TargetRegistry;
  evidence: EvidenceLog;
  clock: () => Date;
  log: Logger;
  /** Called once a canary has nothing left in any target: its number goes to quarantine, never to another canary. */
  onCanaryWithdrawn?: (canaryId: string) => void;
}

export type WithdrawOutcome = { plantingId: string; target: string; outcome: 'withdrawn' | 'skipped' | 'failed'; note?: string };
export type VerifyOutcome = { plantingId: string; canaryId: string; channel: string; target: string; externalRef: string | null } &
  (VerifyResult | { state: 'error'; error: string });
export type ReconcileOutcome = { plantingId: string; target: string; outcome: Planting['status'] | 'withdrawn' | 'still-pending'; externalRef?: string | null; reason?: string };

export class PlantingService {
  constructor(private readonly d: PlantingServiceDeps) {}

  list(filter: z.input<typeof listFilter> = {}): PlantingListItem[] {
    return this.d.plantings.list(listFilter.parse(filter));
  }

  /** A page of plantings for the API and the CLI (list() above is every match, for the service's own sweeps). */
  page(filter: PlantingFilter, page: PageRequest = {}): Page<PlantingListItem> {
    return this.d.plantings.page(filter, page);
  }

  get(id: string): PlantingListItem {
    const p = this.d.plantings.find(id);
    if (!p) throw notFound('planting', id);
    return p;
  }

  /** Staff confirm an import or an intake call: the ticket number and time become the planting. */
  confirm(id: string, input: z.input<typeof confirmInput>): PlantingListItem {
    const { ref, at } = confirmInput.parse(input);
    const p = this.get(id);
    if (p.status !== 'awaiting-confirmation') throw new AppError('conflict', `planting ${id} is ${p.status}, not awaiting confirmation`, 409);
    const now = this.d.clock();
    const plantedAt = at ? new Date(at) : now;
    if (plantedAt.getTime() > now.getTime() + 5 * 60_000) throw new AppError('invalid-request', `at: ${at} is in the future`, 400);
    if (plantedAt.getTime() < Date.parse(p.createdAt)) throw new AppError('invalid-request', `at: ${at} is before the planting was prepared (${p.createdAt})`, 400);
    // Stored in UTC like every other instant, so attribution compares times, not spellings.
    const iso = plantedAt.toISOString();
    this.d.db.transaction(() => {
      if (!this.d.plantings.confirm(id, ref, iso)) throw new AppError('conflict', `planting ${id} changed meanwhile`, 409);
      this.d.evidence.append(now.toISOString(), 'planting', id, {
        canaryId: p.canaryId, channelId: p.channelId, target: p.target, externalRef: ref, variant: p.variant.index, confirmedAt: iso,
      });
    })();
    return this.get(id);
  }

  /** The call script for an intake-call planting, in the canary's language. */
  script(id: string): string {
    const p = this.get(id);
    const target = this.d.targets.get(p.target);
    if (!(target instanceof IntakeCallTarget)) throw new AppError('invalid-request', `planting ${id} goes to target "${p.target}", which is not an intake call`, 400);
    return target.script({ ...this.requestFor(p), plantingId: p.id });
  }

  /** Withdraws every live planting of a canary; rows another live planting still uses stay. */
  async withdrawCanary(canaryId: string): Promise<WithdrawOutcome[]> {
    const canary = this.d.canaries.find(canaryId);
    if (!canary) throw notFound('canary', canaryId);
    const out: WithdrawOutcome[] = [];
    for (const p of canary.plantings) {
      if (p.status === 'withdrawn' || p.status === 'not-planted') continue;
      if (p.status === 'pending' || p.status === 'needs-review') {
        out.push({ plantingId: p.id, target: p.target, outcome: 'skipped', note: `${p.status}: settle it with "tracer plantings reconcile" first` });
        continue;
      }
      out.push(await this.withdrawOne(p));
    }
    const left = this.d.canaries.find(canaryId)!.plantings.filter((p) => p.status !== 'withdrawn' && p.status !== 'not-planted');
    if (left.length === 0) this.d.onCanaryWithdrawn?.(canaryId);
    return out;
  }

  /** Re-reads every planted planting; an altered or missing canary is a finding for the evidence log. */
  async verifyAll(onEach?: (done: number, total: number) => void): Promise<VerifyOutcome[]> {
    const out: VerifyOutcome[] = [];
    const planted = this.d.plantings.list({ status: 'planted' });
    for (const p of planted) {
      const head = { plantingId: p.id, canaryId: p.canaryId, channel: p.channelName, target: p.target, externalRef: p.externalRef };
      let result: VerifyResult | { state: 'error'; error: string };
      try {
        const target = this.targetOf(p);
        result = target.verify ? await target.verify(p.externalRef, p.details) : { state: 'unverifiable', reason: 'the target cannot re-read plantings' };
      } catch (err) {
        result = { state: 'error', error: (err as Error).message };
      }
      this.recordVerify(p, result);
      out.push({ ...head, ...result });
      onEach?.(out.length, planted.length);
    }
    return out;
  }

  /** Settles pendings a crash left between "recorded" and "written": found → planted (or withdrawn), absent → not planted. */
  async reconcile(input: z.input<typeof reconcileInput> = {}, onEach?: (done: number, total: number) => void): Promise<ReconcileOutcome[]> {
    const o = reconcileInput.parse(input);
    const cutoff = new Date(this.d.clock().getTime() - o.olderThanMinutes * 60_000).toISOString();
    const out: ReconcileOutcome[] = [];
    const pending = this.d.plantings.pendingCreatedBefore(cutoff);
    for (const p of pending) {
      out.push(await this.reconcileOne(p, o.withdraw));
      onEach?.(out.length, pending.length);
    }
    return out;
  }

  targetsOverview(): Array<{ name: string; kind: string }> {
    return this.d.targets.all().map((t) => ({ name: t.name, kind: t.kind ?? 'custom' }));
  }

  async checkTargets(): Promise<Array<{ name: string; kind: string; ok: boolean; error?: string }>> {
    const out = [];
    for (const t of this.d.targets.all()) {
      try {
        await t.check?.();
        out.push({ name: t.name, kind: t.kind ?? 'custom', ok: true });
      } catch (err) {
        out.push({ name: t.name, kind: t.kind ?? 'custom', ok: false, error: (err as Error).message });
      }
    }
    return out;
  }

  private async withdrawOne(p: Planting): Promise<WithdrawOutcome> {
    let note: string | undefined;
    try {
      const result = await this.targetOf(p).withdraw(p.externalRef, p.details, { siblings: this.d.plantings.liveSiblingDetails(p) });
      note = result?.note;
    } catch (err) {
      return { plantingId: p.id, target: p.target, outcome: 'failed', note: (err as Error).message };
    }
    this.d.db.transaction(() => {
      const at = this.d.clock().toISOString();
      this.d.canaries.markWithdrawn(p.id, at);
      this.d.evidence.append(at, 'withdrawal', p.id, {
        canaryId: p.canaryId, channelId: p.channelId, target: p.target, externalRef: p.externalRef, wasStatus: p.status, ...(note ? { note } : {}),
      });
    })();
    return { plantingId: p.id, target: p.target, outcome: 'withdrawn', ...(note ? { note } : {}) };
  }

  /** Findings go to the evidence log when they first appear or change, not on every run. */
  private recordVerify(p: PlantingListItem, result: VerifyResult | { state: 'error'; error: string }): void {
    const state = JSON.stringify(result);
    this.d.db.transaction(() => {
      const at = this.d.clock().toISOString();
      this.d.plantings.recordVerify(p.id, state, at);
      if ((result.state === 'altered' || result.state === 'missing') && state !== p.verifyState) {
        this.d.evidence.append(at, 'planting-finding', p.id, {
          canaryId: p.canaryId, channelId: p.channelId, target: p.target, externalRef: p.externalRef, ...result,
        });
      }
    })();
  }

  private async reconcileOne(p: PlantingListItem, withdraw: boolean): Promise<ReconcileOutcome> {
    const base = { plantingId: p.id, target: p.target };
    const target = this.d.targets.get(p.target);
    if (!target?.find) return this.settle(p, 'needs-review', { reason: target ? 'the target cannot look plantings up' : 'the target is no longer configured' });
    let found;
    try {
      found = await target.find(this.requestFor(p));
    } catch (err) {
      const code = err instanceof AppError ? err.code : '';
      if (code === 'lookup-unsupported' || code === 'lookup-ambiguous') return this.settle(p, 'needs-review', { reason: (err as Error).message });
      return { ...base, outcome: 'still-pending', reason: (err as Error).message };
    }
    if (found === null) return this.settle(p, 'not-planted', { reason: 'not in the target: the write never happened' });
    if (isAwaiting(found)) return this.settle(p, 'awaiting-confirmation', { details: found.details });
    // Written right after the pending record: its creation time is when the canary became visible.
    const fields = { externalRef: found.externalRef, plantedAt: p.createdAt, details: found.details ?? {} };
    if (!withdraw) return this.settle(p, 'planted', fields);
    try {
      await target.withdraw(found.externalRef, found.details, { siblings: this.d.plantings.liveSiblingDetails(p) });
    } catch (err) {
      return { ...base, outcome: 'still-pending', externalRef: found.externalRef, reason: `found, but could not withdraw: ${(err as Error).message}` };
    }
    this.settle(p, 'planted', fields);
    this.d.db.transaction(() => {
      const at = this.d.clock().toISOString();
      this.d.canaries.markWithdrawn(p.id, at);
      this.d.evidence.append(at, 'withdrawal', p.id, { canaryId: p.canaryId, target: p.target, externalRef: found.externalRef, reconciled: true });
    })();
    return { ...base, outcome: 'withdrawn', externalRef: found.externalRef };
  }

  private settle(p: PlantingListItem, status: Planting['status'], f: { reason?: string; externalRef?: string; plantedAt?: string; details?: Planting['details'] }): ReconcileOutcome {
    this.d.db.transaction(() => {
      this.d.plantings.settle(p.id, status, f);
      const at = this.d.clock().toISOString();
      const kind = status === 'planted' ? 'planting' : 'planting-reconciled';
      this.d.evidence.append(at, kind, p.id, {
        canaryId: p.canaryId, channelId: p.channelId, target: p.target, status, reconciled: true,
        ...(f.externalRef ? { externalRef: f.externalRef, variant: p.variant.index } : {}), ...(f.reason ? { reason: f.reason } : {}),
      });
    })();
    return { plantingId: p.id, target: p.target, outcome: status, ...(f.externalRef ? { externalRef: f.externalRef } : {}), ...(f.reason ? { reason: f.reason } : {}) };
  }

  private targetOf(p: Planting): PlantingTarget {
    const t = this.d.targets.get(p.target);
    if (!t) throw new AppError('unknown-target', `target "${p.target}" is no longer configured`, 409);
    return t;
  }

  private requestFor(p: Planting): PlantingRequest {
    const canary = this.d.canaries.find(p.canaryId)!;
    const channel: Channel = this.d.channels.find(p.channelId)!;
    return { persona: canary.persona, ticket: canary.ticket, variant: p.variant, channel };
  }
}

