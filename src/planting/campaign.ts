// Campaign scale: thousands of canaries in one command. Canaries go in batches (default 500):
// per batch, one tracer transaction records numbers, canaries and pending plantings, each target
// writes the whole batch in one transaction (multi-row INSERT ... RETURNING on PostgreSQL), and
// one tracer transaction marks them planted. A batch is all or nothing; batches already planted
// stay planted when a later one fails (the error says how many).
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Channel } from '../channels/channels.ts';
import type { Canary, CanaryRepository, Planting } from '../canaries/repository.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { IdentityGenerator } from '../identities/index.ts';
import type { CanaryIdentity, Locale } from '../identities/types.ts';
import type { NumberPool } from '../numbers/pool.ts';
import { settle, type TargetRegistry } from './target.ts';
import { IdentityWorkers, type DrawnIdentity } from './identity-workers.ts';

export const BATCH_SIZE = 500;
/** Below this, starting worker threads costs more than it saves. */
const WORKERS_FROM = 1000;
/** Of a worker's fair share of drawing, what the main thread takes on beside its own writes. */
const MAIN_THREAD_SHARE = 0.5;
const COUNTRY_OF: Record<Locale, string> = { 'ar-SA': 'SA', 'en-US': 'US' };

export interface CampaignDeps {
  db: Db;
  canaries: CanaryRepository;
  pool: NumberPool;
  targets: TargetRegistry;
  evidence: EvidenceLog;
  generatorFor: (locale: Locale) => IdentityGenerator;
  clock: () => Date;
  log: Logger;
}

interface Batch {
  numbers: Array<{ id: string; phoneNumber: string }>;
  canaries: Canary[];
  /** plantings[channel][canary] */
  plantings: Planting[][];
}

/** A batch with its numbers assigned and its identities being drawn. */
interface Prepared {
  numbers: Array<{ id: string; phoneNumber: string }>;
  drawn: Promise<DrawnIdentity[]>;
}

export class CampaignPlanter {
  constructor(private readonly d: CampaignDeps, private readonly batchSize = BATCH_SIZE) {}

  /** Batching needs every channel's target to write many canaries in one transaction. */
  handles(channels: Channel[]): boolean {
    return channels.every((c) => typeof this.d.targets.get(c.target)?.plantBatch === 'function');
  }

  async create(channels: Channel[], locale: Locale, count: number): Promise<Canary[]> {
    const planted: Canary[] = [];
    const sizes = Array.from({ length: Math.ceil(count / this.batchSize) }, (_, b) => Math.min(this.batchSize, count - b * this.batchSize));
    // Pipelined: while batch b is written, workers draw the identities of batch b + 1.
    const workers = count >= WORKERS_FROM ? new IdentityWorkers() : null;
    const seen = new Set<string>();
    const queue: Prepared[] = [];
    try {
      for (let b = 0; b < sizes.length; b++) {
        try {
          if (queue.length === 0) queue.push(this.prepare(sizes[b]!, channels, locale, workers));
          if (b + 1 < sizes.length) queue.push(this.prepare(sizes[b + 1]!, channels, locale, workers));
          planted.push(...(await this.plantBatch(queue.shift()!, channels, locale, seen)));
        } catch (err) {
          if (b === 0) throw err;
          const e = err instanceof AppError ? err : new AppError('planting-failed', (err as Error).message, 502);
          throw new AppError(e.code, `batch ${b + 1} of ${sizes.length} failed and left nothing; the ${planted.length} canaries of earlier batches stay planted: ${e.message}`, e.status, { planted: planted.map((c) => c.id) });
        }
      }
    } finally {
      for (const p of queue) await this.discard(p);
      await workers?.close();
    }
    return planted;
  }

  /** Assigns the batch's numbers now; its identities are drawn by workers meanwhile (or on the spot). */
  private prepare(n: number, channels: Channel[], locale: Locale, workers: IdentityWorkers | null): Prepared {
    const at = this.d.clock().toISOString();
    const numbers = this.d.db.transaction(() => Array.from({ length: n }, () => this.d.pool.assignFresh(COUNTRY_OF[locale], at)))();
    const phones = numbers.map((x) => x.phoneNumber);
    const here = (list: string[]) => list.map((p) => this.drawHere(locale, p, channels.length));
    let drawn: Promise<DrawnIdentity[]>;
    if (workers) {
      // The main thread's own writes leave it idle part of each batch: it draws a share too.
      const mine = Math.floor(phones.length * MAIN_THREAD_SHARE / (workers.size + 1));
      const theirs = workers.draw(locale, phones.slice(mine), channels.length, this.d.clock());
      const ours = here(phones.slice(0, mine));
      drawn = theirs.then((rest) => [...ours, ...rest]);
    } else {
      drawn = new Promise<DrawnIdentity[]>((resolve) => resolve(here(phones)));
    }
    drawn.catch(() => {}); // a discarded batch's draw may fail unobserved
    return { numbers, drawn };
  }

  private drawHere(locale: Locale, phone: string, variants: number): DrawnIdentity {
    const generator = this.d.generatorFor(locale);
    const identity = generator.next(phone);
    return { identity, variants: generator.variants(identity, variants) };
  }

  private async discard(p: Prepared): Promise<void> {
    await p.drawn.catch(() => {});
    this.releaseNumbers(p.numbers.map((x) => x.id), false);
  }

  private async plantBatch(prepared: Prepared, channels: Channel[], locale: Locale, seen: Set<string>): Promise<Canary[]> {
    const now = () => this.d.clock().toISOString();
    const { numbers } = prepared;
    let drawn: DrawnIdentity[];
    try {
      drawn = await this.uniqueIdentities(await prepared.drawn, locale, channels, seen);
    } catch (err) {
      this.releaseNumbers(numbers.map((x) => x.id), false);
      throw err;
    }
    const batch = this.recordPending(locale, numbers, drawn, channels);
    const identities = drawn.map((x) => x.identity);
    const written: Planting[][] = [];
    try {
      for (const [c, channel] of channels.entries()) {
        const requests = batch.plantings[c]!.map((p, i) => ({
          ...identities[i]!, variant: p.variant, channel,
          siblings: written.flatMap((w) => (w[i]!.target === p.target ? [w[i]!.details] : [])),
        }));
        const results = await this.d.targets.get(channel.target)!.plantBatch!(requests);
        written.push(batch.plantings[c]!.map((p, i) => settle(p, results[i]!)));
      }
    } catch (err) {
      await this.undo(batch, written);
      throw err instanceof AppError ? err : new AppError('planting-failed', `planting failed: ${(err as Error).message}`, 502);
    }
    this.d.db.transaction(() => {
      for (const p of written.flat()) {
        if (p.status === 'awaiting-confirmation') {
          this.d.canaries.markAwaiting(p.id, p.details);
          this.d.evidence.append(now(), 'planting-prepared', p.id, { canaryId: p.canaryId, channelId: p.channelId, target: p.target, variant: p.variant.index });
          continue;
        }
        p.plantedAt = now();
        p.status = 'planted';
        this.d.canaries.markPlanted(p.id, p.externalRef!, p.plantedAt, p.details);
        this.d.evidence.append(p.plantedAt, 'planting', p.id, {
          canaryId: p.canaryId, channelId: p.channelId, target: p.target, externalRef: p.externalRef, variant: p.variant.index,
        });
      }
    })();
    // The records just written, as a re-read would return them (ten thousand re-reads cost seconds).
    return batch.canaries.map((c, i) => ({ ...c, plantings: written.map((w) => w[i]!) }));
  }

  /**
   * Identities no real record holds (one collision query per target and key column per round) and
   * no other canary of this campaign holds (workers draw independently of each other), with
   * references no other planting of the campaign carries (a reference must name one copy).
   */
  private async uniqueIdentities(drawn: DrawnIdentity[], locale: Locale, channels: Channel[], seen: Set<string>): Promise<DrawnIdentity[]> {
    const targets = [...new Set(channels.map((c) => c.target))].map((t) => this.d.targets.get(t)!);
    const keys = ({ identity: id, variants }: DrawnIdentity) => [
      ...[id.persona.accountNumber, id.persona.premiseId, id.persona.meterSerial, id.persona.nationalId ?? ''].map((k, i) => `${i}:${k}`),
      ...variants.map((v) => `ref:${v.reference}`),
    ];
    const out = [...drawn];
    let remaining = out.map((_, i) => i);
    for (let attempt = 0; attempt < 20 && remaining.length > 0; attempt++) {
      const clashes = new Set<number>();
      for (const i of remaining) {
        const k = keys(out[i]!).filter((x) => !x.endsWith(':'));
        if (k.some((x) => seen.has(x))) clashes.add(i);
        else for (const x of k) seen.add(x);
      }
      for (const t of targets) {
        const batch = remaining.map((i) => out[i]!.identity);
        if (t.collidesMany) for (const j of await t.collidesMany(batch)) clashes.add(remaining[j]!);
        else if (t.collides) for (const [j, id] of batch.entries()) if (await t.collides(id)) clashes.add(remaining[j]!);
      }
      remaining = [...clashes];
      for (const i of remaining) out[i] = this.drawHere(locale, out[i]!.identity.persona.phone.e164, channels.length);
    }
    if (remaining.length > 0) throw new AppError('identity-collision', 'could not generate identities that no real record already holds (20 attempts)', 409);
    return out;
  }

  private recordPending(locale: Locale, numbers: Array<{ id: string; phoneNumber: string }>, drawn: DrawnIdentity[], channels: Channel[]): Batch {
    return this.d.db.transaction(() => {
      const at = this.d.clock().toISOString();
      const plantings: Planting[][] = channels.map(() => []);
      const canaries = drawn.map(({ identity, variants }, i) => {
        const canaryId = newId('cn');
        this.d.canaries.insertCanary({ id: canaryId, numberId: numbers[i]!.id, locale, createdAt: at, ...identity });
        channels.forEach((channel, c) => {
          const p: Planting = {
            id: newId('pl'), canaryId, channelId: channel.id, target: channel.target, status: 'pending', variant: variants[c]!,
            externalRef: null, plantedAt: null, withdrawnAt: null, createdAt: at, details: {},
          };
          this.d.canaries.insertPlanting(p);
          plantings[c]!.push(p);
        });
        const canary: Canary = { id: canaryId, numberId: numbers[i]!.id, phoneNumber: numbers[i]!.phoneNumber, locale, createdAt: at, ...identity, plantings: [] };
        return canary;
      });
      return { numbers, canaries, plantings };
    })();
  }

  /** Withdraws what earlier channels wrote for this batch (last first), then forgets the batch. */
  private async undo(batch: Batch, written: Planting[][]): Promise<void> {
    for (let c = written.length - 1; c >= 0; c--) {
      for (const [i, p] of written[c]!.entries()) {
        const siblings = written.slice(0, c).flatMap((w) => (w[i]!.target === p.target ? [w[i]!.details] : []));
        try {
          await this.d.targets.get(p.target)!.withdraw(p.externalRef, p.details, { siblings });
        } catch (err) {
          // Left pending: `tracer plantings reconcile` finds and settles them.
          this.d.log.error({ plantingId: p.id, err: (err as Error).message }, 'could not withdraw a half-planted batch');
          return;
        }
      }
    }
    const exposed = written.length > 0;
    this.d.db.transaction(() => {
      const at = this.d.clock().toISOString();
      for (const [i, { id: canaryId }] of batch.canaries.entries()) {
        if (exposed) {
          this.d.evidence.append(at, 'canary-rolled-back', canaryId, {
            withdrawn: written.map((w) => ({ plantingId: w[i]!.id, target: w[i]!.target, externalRef: w[i]!.externalRef })),
          });
        }
        this.d.db.prepare('DELETE FROM plantings WHERE canary_id = ?').run(canaryId);
        this.d.db.prepare('DELETE FROM canaries WHERE id = ?').run(canaryId);
      }
    })();
    this.releaseNumbers(batch.numbers.map((x) => x.id), exposed);
  }

  /** Never exposed: back to the range (simulated) or ready. Exposed: retired, never to ring for another canary. */
  private releaseNumbers(ids: string[], exposed: boolean): void {
    const at = this.d.clock().toISOString();
    this.d.db.transaction(() => {
      for (const id of ids) {
        if (exposed) {
          this.d.db.prepare(`UPDATE canary_numbers SET status = 'retired', retired_at = ? WHERE id = ?`).run(at, id);
        } else {
          this.d.db.prepare(`DELETE FROM canary_numbers WHERE id = ? AND provider = 'simulated'`).run(id);
          this.d.db.prepare(`UPDATE canary_numbers SET status = 'ready', assigned_at = NULL WHERE id = ?`).run(id);
        }
      }
    })();
  }
}
