// The one planting pipeline: one canary or a campaign of thousands, into the same channels or each
// canary into its own subset (a split design). Canaries go in batches (default 500): per batch one
// tracer transaction records numbers, canaries and pending plantings; each channel's target writes its
// share (in one transaction where it can: multi-row INSERT ... RETURNING on PostgreSQL; one by one
// otherwise); one tracer transaction marks them planted. A batch is all or nothing: what a failure
// leaves is withdrawn, and a canary whose ticket reached a target even for a moment is kept — its
// plantings withdrawn, its exposure a fact, its number retired — so a later call to it still counts.
// Batches already planted stay planted when a later one fails (the error says how many).
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Channel } from '../channels/channels.ts';
import type { Canary, CanaryRepository, Planting } from '../canaries/repository.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { IdentityGenerator } from '../identities/index.ts';
import type { Locale } from '../identities/types.ts';
import type { NumberPool } from '../numbers/pool.ts';
import { PlantingOutcomeUnknown, settle, type PlantResult, type PlantingRequest, type PlantingTarget, type TargetRegistry } from './target.ts';
import { IdentityWorkers, type DrawnIdentity } from './identity-workers.ts';
import { uniqueIdentities } from './unique-identities.ts';

export const BATCH_SIZE = 500;
/** Below this, starting worker threads costs more than it saves. */
const WORKERS_FROM = 1000;
/** Of a worker's fair share of drawing, what the main thread takes on beside its own writes. */
const MAIN_THREAD_SHARE = 0.5;
export const COUNTRY_OF: Record<Locale, string> = { 'ar-SA': 'SA', 'en-US': 'US' };

export interface PipelineDeps {
  db: Db;
  canaries: CanaryRepository;
  pool: NumberPool;
  targets: TargetRegistry;
  evidence: EvidenceLog;
  generatorFor: (locale: Locale) => IdentityGenerator;
  clock: () => Date;
  log: Logger;
  /** The numbers area retires the number of a canary that was exposed and then rolled back. */
  retireNumberOfCanary: (canaryId: string) => void;
}

/** One canary to make: the channels it is planted into now. */
export interface CanarySpec {
  channels: Channel[];
}

export interface PlantOptions {
  campaignId?: string;
  /** Called after each batch with canaries planted so far and in all. */
  onProgress?: (done: number, total: number) => void;
}

interface Batch {
  numbers: Array<{ id: string; phoneNumber: string }>;
  canaries: Canary[];
  specs: CanarySpec[];
  /** plantings[i][j]: canary i's planting into specs[i].channels[j]. */
  plantings: Planting[][];
}

/** What one channel's target wrote for a batch: canary index → planting as the target left it. */
type Written = Map<number, Planting>;

interface Prepared {
  numbers: Array<{ id: string; phoneNumber: string }>;
  specs: CanarySpec[];
  drawn: Promise<DrawnIdentity[]>;
}

export class PlantingPipeline {
  constructor(private readonly d: PipelineDeps, private readonly batchSize = BATCH_SIZE) {}

  async plant(specs: CanarySpec[], locale: Locale, o: PlantOptions = {}): Promise<Canary[]> {
    const planted: Canary[] = [];
    const chunks: CanarySpec[][] = [];
    for (let i = 0; i < specs.length; i += this.batchSize) chunks.push(specs.slice(i, i + this.batchSize));
    // Pipelined: while batch b is written, workers draw the identities of batch b + 1.
    const workers = specs.length >= WORKERS_FROM ? new IdentityWorkers() : null;
    const seen = new Set<string>();
    const queue: Prepared[] = [];
    try {
      for (let b = 0; b < chunks.length; b++) {
        try {
          if (queue.length === 0) queue.push(this.prepare(chunks[b]!, locale, workers));
          if (b + 1 < chunks.length) queue.push(this.prepare(chunks[b + 1]!, locale, workers));
          planted.push(...(await this.plantBatch(queue.shift()!, locale, seen, o.campaignId)));
          o.onProgress?.(planted.length, specs.length);
        } catch (err) {
          if (b === 0) throw err;
          const e = err instanceof AppError ? err : new AppError('planting-failed', (err as Error).message, 502);
          throw new AppError(e.code, `batch ${b + 1} of ${chunks.length} failed and left nothing; the ${planted.length} canaries of earlier batches stay planted: ${e.message}`, e.status, { planted: planted.map((c) => c.id) });
        }
      }
    } finally {
      for (const p of queue) await this.discard(p);
      await workers?.close();
    }
    return planted;
  }

  /**
   * Plants an existing canary into more channels (a staggered design's later exposures), through the same
   * write and record steps. Each new planting gets a variant of its own; a failure leaves nothing live:
   * what was written is withdrawn and kept as exposure.
   */
  async extend(canary: Canary, channels: Channel[]): Promise<Planting[]> {
    const generator = this.d.generatorFor(canary.locale);
    const taken = new Set(canary.plantings.map((p) => p.variant.reference));
    const identity = { persona: canary.persona, ticket: canary.ticket };
    const fresh = generator.variants(identity, canary.plantings.length + channels.length + 4).filter((v) => !taken.has(v.reference));
    if (fresh.length < channels.length) throw new AppError('identity-collision', `no unused ticket variant left for canary ${canary.id}`, 409);
    const plantings = this.d.db.transaction(() => channels.map((channel, j) => {
      const p: Planting = {
        id: newId('pl'), canaryId: canary.id, channelId: channel.id, target: channel.target, status: 'pending', variant: fresh[j]!,
        externalRef: null, plantedAt: null, withdrawnAt: null, createdAt: this.d.clock().toISOString(), details: {},
      };
      this.d.canaries.insertPlanting(p);
      return p;
    }))();
    const batch: Batch = { numbers: [], canaries: [canary], specs: [{ channels }], plantings: [[...canary.plantings, ...plantings]] };
    const drawn: DrawnIdentity[] = [{ identity, variants: [] }];
    const written: Written[] = [];
    // Rows the canary's live plantings already hold in a target are shared, not written twice.
    written.push(new Map(canary.plantings.filter((p) => p.status === 'planted').map((p) => [0, p])));
    try {
      for (const channel of channels) await this.writeChannel(batch, drawn, channel, written);
    } catch (err) {
      const mine = written.slice(1);
      for (let c = mine.length - 1; c >= 0; c--) {
        const p = mine[c]!.get(0);
        const siblings = canary.plantings.filter((x) => x.status === 'planted' && p && x.target === p.target).map((x) => x.details);
        if (p) await this.d.targets.get(p.target)!.withdraw(p.externalRef, p.details, { siblings }).catch(() => {});
      }
      const at = this.d.clock().toISOString();
      const reached = mine.map((w) => w.get(0)).filter((p): p is Planting => p !== undefined);
      this.d.db.transaction(() => {
        for (const p of reached) this.d.canaries.markRolledBack(p.id, p.createdAt, at);
        const never = plantings.filter((p) => !reached.some((r) => r.id === p.id));
        for (const p of never) this.d.canaries.markNotPlanted(p.id);
        this.d.evidence.append(at, 'canary-rolled-back', canary.id, {
          withdrawn: reached.map((p) => ({ plantingId: p.id, target: p.target, externalRef: p.externalRef })),
          notPlanted: never.map((p) => p.id), extension: true,
        });
      })();
      const cause = err instanceof PartialWrite ? err.cause : err;
      throw cause instanceof AppError ? cause : new AppError('planting-failed', `planting failed: ${(cause as Error).message}`, 502);
    }
    const mine = written.slice(1);
    this.recordWritten(mine);
    return mine.map((w) => w.get(0)!);
  }

  /** Assigns the batch's numbers now; its identities are drawn by workers meanwhile (or on the spot). */
  private prepare(specs: CanarySpec[], locale: Locale, workers: IdentityWorkers | null): Prepared {
    const at = this.d.clock().toISOString();
    const numbers = this.d.db.transaction(() => specs.map(() => this.d.pool.assignFresh(COUNTRY_OF[locale], at)))();
    const phones = numbers.map((x) => x.phoneNumber);
    const variants = Math.max(...specs.map((s) => s.channels.length));
    const here = (list: string[]) => list.map((p) => this.drawHere(locale, p, variants));
    let drawn: Promise<DrawnIdentity[]>;
    if (workers) {
      // The main thread's own writes leave it idle part of each batch: it draws a share too.
      const mine = Math.floor(phones.length * MAIN_THREAD_SHARE / (workers.size + 1));
      const theirs = workers.draw(locale, phones.slice(mine), variants, this.d.clock());
      const ours = here(phones.slice(0, mine));
      drawn = theirs.then((rest) => [...ours, ...rest]);
    } else {
      drawn = new Promise<DrawnIdentity[]>((resolve) => resolve(here(phones)));
    }
    drawn.catch(() => {}); // a discarded batch's draw may fail unobserved
    return { numbers, specs, drawn };
  }

  private drawHere(locale: Locale, phone: string, variants: number): DrawnIdentity {
    const generator = this.d.generatorFor(locale);
    const identity = generator.next(phone);
    return { identity, variants: generator.variants(identity, variants) };
  }

  private async discard(p: Prepared): Promise<void> {
    await p.drawn.catch(() => {});
    this.returnNumbers(p.numbers.map((x) => x.id));
  }

  private async plantBatch(prepared: Prepared, locale: Locale, seen: Set<string>, campaignId: string | undefined): Promise<Canary[]> {
    const { numbers, specs } = prepared;
    let drawn: DrawnIdentity[];
    const held: Array<{ id: string; targets: string[] }> = [];
    const channels = [...new Map(specs.flatMap((s) => s.channels).map((c) => [c.id, c])).values()];
    // A canary whose number a real record holds takes the next fresh one; the held one leaves service.
    const renumber = (i: number) => {
      const fresh = this.d.db.transaction(() => this.d.pool.assignFresh(COUNTRY_OF[locale], this.d.clock().toISOString()))();
      held.push({ id: numbers[i]!.id, targets: [...new Set(specs[i]!.channels.map((c) => c.target))] });
      numbers[i] = fresh;
      return fresh.phoneNumber;
    };
    try {
      drawn = await uniqueIdentities(await prepared.drawn, channels.map((c) => this.d.targets.get(c.target)!), seen,
        (phone, n) => this.drawHere(locale, phone, n), renumber);
    } catch (err) {
      this.setAsideHeld(held);
      this.returnNumbers(numbers.map((x) => x.id));
      throw err;
    }
    this.setAsideHeld(held);
    const batch = this.recordPending(locale, numbers, drawn, specs, campaignId);
    const written: Written[] = [];
    try {
      for (const channel of channelsInOrder(specs)) await this.writeChannel(batch, drawn, channel, written);
    } catch (err) {
      await this.undo(batch, written, err instanceof PartialWrite ? err : undefined);
      const cause = err instanceof PartialWrite ? err.cause : err;
      const message = cause instanceof Error ? cause.message : String(cause);
      throw cause instanceof AppError ? cause : new AppError('planting-failed', `planting failed: ${message}`, 502);
    }
    this.recordWritten(written);
    // The records just written, as a re-read would return them (ten thousand re-reads cost seconds).
    return batch.canaries.map((c, i) => ({ ...c, plantings: batch.plantings[i]!.map((p) => findWritten(written, i, p) ?? p) }));
  }

  /** One channel's share of the batch, in one target call where the target can batch; what it wrote joins `written`, even on a failure. */
  private async writeChannel(batch: Batch, drawn: DrawnIdentity[], channel: Channel, written: Written[]): Promise<void> {
    const target = this.d.targets.get(channel.target)!;
    const members: Array<{ i: number; p: Planting }> = [];
    batch.plantings.forEach((list, i) => list.forEach((p) => p.channelId === channel.id && members.push({ i, p })));
    const requests: PlantingRequest[] = members.map(({ i, p }) => ({
      ...drawn[i]!.identity, variant: p.variant, channel,
      // Rows this canary's earlier plantings wrote into the same target (its customer, say) are shared, not written twice.
      siblings: written.flatMap((w) => (w.get(i)?.target === p.target ? [w.get(i)!.details] : [])),
    }));
    const out: Written = new Map();
    written.push(out);
    const keep = (results: PlantResult[]) => results.forEach((r, j) => {
      const { i, p } = members[j]!;
      const settled = settle(p, r);
      out.set(i, settled);
      batch.plantings[i]![batch.plantings[i]!.indexOf(p)] = settled;
    });
    try {
      keep(await writeAll(target, requests));
    } catch (err) {
      if (!(err instanceof WriteStopped)) throw err;
      keep(err.partial);
      const failed = members[err.partial.length]!.p;
      throw err.cause instanceof PlantingOutcomeUnknown ? new PartialWrite(err.cause, failed.canaryId, failed.id) : err.cause;
    }
  }

  private recordPending(locale: Locale, numbers: Array<{ id: string; phoneNumber: string }>, drawn: DrawnIdentity[], specs: CanarySpec[], campaignId: string | undefined): Batch {
    return this.d.db.transaction(() => {
      const at = this.d.clock().toISOString();
      const plantings: Planting[][] = [];
      const canaries = drawn.map(({ identity, variants }, i) => {
        const canaryId = newId('cn');
        this.d.canaries.insertCanary({ id: canaryId, numberId: numbers[i]!.id, locale, createdAt: at, campaignId, ...identity });
        plantings.push(specs[i]!.channels.map((channel, j) => {
          const p: Planting = {
            id: newId('pl'), canaryId, channelId: channel.id, target: channel.target, status: 'pending', variant: variants[j]!,
            externalRef: null, plantedAt: null, withdrawnAt: null, createdAt: at, details: {},
          };
          this.d.canaries.insertPlanting(p);
          return p;
        }));
        const canary: Canary = { id: canaryId, numberId: numbers[i]!.id, phoneNumber: numbers[i]!.phoneNumber, locale, createdAt: at, ...identity, plantings: [] };
        return canary;
      });
      return { numbers, canaries, specs, plantings };
    })();
  }

  private recordWritten(written: Written[]): void {
    this.d.db.transaction(() => {
      for (const byCanary of written) {
        for (const p of byCanary.values()) {
          const at = this.d.clock().toISOString();
          if (p.status === 'awaiting-confirmation') {
            // An import file in a drop folder can leak before anyone imports it; a call not yet made cannot.
            const exposedAt = this.d.targets.get(p.target)?.kind === 'intake-call' ? null : at;
            this.d.canaries.markAwaiting(p.id, p.details, exposedAt);
            this.d.evidence.append(at, 'planting-prepared', p.id, { canaryId: p.canaryId, channelId: p.channelId, target: p.target, variant: p.variant.index, exposedAt });
            continue;
          }
          p.plantedAt = at;
          p.status = 'planted';
          this.d.canaries.markPlanted(p.id, p.externalRef!, at, p.details);
          this.d.evidence.append(at, 'planting', p.id, {
            canaryId: p.canaryId, channelId: p.channelId, target: p.target, externalRef: p.externalRef, variant: p.variant.index,
          });
        }
      }
    })();
  }

  /**
   * Withdraws what the batch wrote (last channel first). A canary that reached no target is forgotten
   * and its number goes back; one that did is kept with its plantings withdrawn and its number retired.
   * unknown: a write whose outcome is unknown stays pending, with its canary, for `tracer plantings reconcile`.
   */
  private async undo(batch: Batch, written: Written[], unknown?: PartialWrite): Promise<void> {
    for (let c = written.length - 1; c >= 0; c--) {
      for (const [i, p] of written[c]!) {
        const siblings = written.slice(0, c).flatMap((w) => (w.get(i)?.target === p.target ? [w.get(i)!.details] : []));
        try {
          await this.d.targets.get(p.target)!.withdraw(p.externalRef, p.details, { siblings });
        } catch (err) {
          // Left pending: `tracer plantings reconcile` finds and settles them.
          this.d.log.error({ plantingId: p.id, err: (err as Error).message }, 'could not withdraw a half-planted batch');
          return;
        }
      }
    }
    const keep = unknown ? batch.canaries.findIndex((c) => c.id === unknown.canaryId) : -1;
    const at = this.d.clock().toISOString();
    const retire: string[] = [];
    const free: string[] = [];
    this.d.db.transaction(() => {
      batch.canaries.forEach((canary, i) => {
        const reached = written.filter((w) => w.has(i)).map((w) => w.get(i)!);
        if (reached.length === 0 && i !== keep) {
          this.d.canaries.deleteCanary(canary.id);
          free.push(canary.numberId);
          return;
        }
        const never = batch.plantings[i]!.filter((p) => !reached.some((r) => r.id === p.id) && p.id !== unknown?.plantingId);
        this.d.evidence.append(at, 'canary-rolled-back', canary.id, {
          withdrawn: reached.map((p) => ({ plantingId: p.id, target: p.target, externalRef: p.externalRef })),
          notPlanted: never.map((p) => p.id),
          ...(i === keep ? { leftPending: unknown!.plantingId } : {}),
        });
        for (const p of reached) this.d.canaries.markRolledBack(p.id, p.createdAt, at);
        for (const p of never) this.d.canaries.markNotPlanted(p.id);
        if (i !== keep) retire.push(canary.id);
      });
      for (const id of free) this.d.pool.returnUnused(id);
      for (const canaryId of retire) this.d.retireNumberOfCanary(canaryId);
    })();
  }

  /** Numbers a real record of the batch's targets holds leave service, each with its evidence entry. */
  private setAsideHeld(held: Array<{ id: string; targets: string[] }>): void {
    if (held.length === 0) return;
    const at = this.d.clock().toISOString();
    this.d.db.transaction(() => {
      for (const h of held) {
        const n = this.d.pool.setAsideHeld(h.id, at);
        if (n) this.d.evidence.append(at, 'number-lifecycle', n.id, { phoneNumber: n.phoneNumber, from: n.status, to: 'retired', reason: 'held-by-real-record', targets: h.targets });
      }
    })();
    this.d.log.warn({ numbers: held.length }, 'canary numbers a real record already holds were replaced and retired');
  }

  /** Numbers assigned for canaries never made go back (inside one transaction). */
  private returnNumbers(ids: string[]): void {
    this.d.db.transaction(() => {
      for (const id of ids) this.d.pool.returnUnused(id);
    })();
  }
}

/** A target that failed part-way through a channel's share; `canaryId` is set when the failed write's outcome is unknown. */
class PartialWrite extends Error {
  constructor(override readonly cause: unknown, readonly canaryId?: string, readonly plantingId?: string) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** A one-by-one write that stopped part-way: what was written before the failure, and the failure. */
class WriteStopped extends Error {
  constructor(override readonly cause: unknown, readonly partial: PlantResult[]) {
    super('write stopped');
  }
}

/** The target's batch call (all or nothing), or its plant() one request at a time. */
async function writeAll(target: PlantingTarget, requests: PlantingRequest[]): Promise<PlantResult[]> {
  if (target.plantBatch) return target.plantBatch(requests);
  const results: PlantResult[] = [];
  for (const r of requests) {
    try {
      results.push(await target.plant(r));
    } catch (err) {
      throw new WriteStopped(err, results);
    }
  }
  return results;
}

function channelsInOrder(specs: CanarySpec[]): Channel[] {
  return [...new Map(specs.flatMap((s) => s.channels).map((c) => [c.id, c])).values()];
}

function findWritten(written: Written[], i: number, p: Planting): Planting | undefined {
  for (const w of written) if (w.get(i)?.id === p.id) return w.get(i);
  return undefined;
}

