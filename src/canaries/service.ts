import { z } from 'zod';
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import { AppError, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Channel, ChannelRepository } from '../channels/channels.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { IdentityGenerator } from '../identities/index.ts';
import { LOCALES, type CanaryIdentity, type Locale } from '../identities/types.ts';
import type { NumberPool } from '../numbers/pool.ts';
import { PlantingOutcomeUnknown, settle, type TargetRegistry } from '../planting/target.ts';
import type { CampaignPlanter } from '../planting/campaign.ts';
import type { Page, PageRequest } from '../store/paging.ts';
import type { Canary, CanaryFilter, CanaryRepository, Planting } from './repository.ts';

/** One by one, a request is all-or-nothing; beyond this, targets must plant in batches (see README). */
const MAX_UNBATCHED = 1000;

export const createCanariesInput = z.object({
  channelIds: z.array(z.string().min(1).max(100)).min(1).max(50),
  locale: z.enum(LOCALES).optional(),
  count: z.number().int().min(1).max(10_000).default(1),
});
export type CreateCanariesInput = z.input<typeof createCanariesInput>;

const COUNTRY_OF: Record<Locale, string> = { 'ar-SA': 'SA', 'en-US': 'US' };

export interface CanaryServiceDeps {
  db: Db;
  canaries: CanaryRepository;
  channels: ChannelRepository;
  pool: NumberPool;
  targets: TargetRegistry;
  evidence: EvidenceLog;
  generatorFor: (locale: Locale) => IdentityGenerator;
  defaultLocale: Locale;
  clock: () => Date;
  log: Logger;
  /** Plants many canaries per target transaction when every channel's target can. */
  batch?: CampaignPlanter;
}

/**
 * Creates canaries and plants each into every requested channel. All-or-nothing per canary:
 * number, canary and pending plantings are recorded first (so a crash can never leave a canary in
 * a target that the tracer does not know about); then each target is written; a failure withdraws
 * what was written and removes the canary, and the number returns to no one.
 */
export class CanaryService {
  constructor(private readonly d: CanaryServiceDeps) {}

  async create(input: CreateCanariesInput): Promise<Canary[]> {
    const data = createCanariesInput.parse(input);
    const channels = this.resolveChannels(data.channelIds);
    const locale = data.locale ?? this.d.defaultLocale;
    if (data.count > 1 && this.d.batch?.handles(channels)) return this.d.batch.create(channels, locale, data.count);
    if (data.count > MAX_UNBATCHED) {
      throw new AppError('count-too-large', `count: over ${MAX_UNBATCHED} needs channels whose targets plant in batches (SQL targets)`, 400);
    }
    const created: Canary[] = [];
    try {
      for (let i = 0; i < data.count; i++) created.push(await this.createOne(channels, locale));
    } catch (err) {
      // Canaries already made in this request are rolled back too: a request is one decision.
      for (const c of created.reverse()) await this.undo(c.id, c.plantings);
      throw err;
    }
    return created;
  }

  get(id: string): Canary {
    const c = this.d.canaries.find(id);
    if (!c) throw notFound('canary', id);
    return c;
  }

  list(filter: CanaryFilter = {}, page: PageRequest = {}): Page<Canary> {
    return this.d.canaries.list(filter, page);
  }

  private resolveChannels(ids: string[]): Channel[] {
    const unique = [...new Set(ids)];
    return unique.map((id) => {
      const c = this.d.channels.find(id);
      if (!c) throw notFound('channel', id);
      if (!this.d.targets.get(c.target)) {
        throw new AppError('unknown-target', `channel "${c.name}" names target "${c.target}", which is not configured`, 400);
      }
      return c;
    });
  }

  private async createOne(channels: Channel[], locale: Locale): Promise<Canary> {
    const generator = this.d.generatorFor(locale);
    const now = () => this.d.clock().toISOString();
    const canaryId = newId('cn');
    const number = this.d.db.transaction(() => this.d.pool.assignFresh(COUNTRY_OF[locale], now()))();
    let identity: CanaryIdentity;
    try {
      identity = await this.uniqueIdentity(generator, number.phoneNumber, channels);
    } catch (err) {
      this.d.db.prepare(`DELETE FROM canary_numbers WHERE id = ? AND provider = 'simulated'`).run(number.id);
      this.d.db.prepare(`UPDATE canary_numbers SET status = 'ready', assigned_at = NULL WHERE id = ?`).run(number.id);
      throw err;
    }
    const pending = this.d.db.transaction(() => {
      const at = now();
      const variants = generator.variants(identity, channels.length);
      this.d.canaries.insertCanary({ id: canaryId, numberId: number.id, locale, createdAt: at, ...identity });
      return channels.map((channel, i) => {
        const p: Planting = {
          id: newId('pl'), canaryId, channelId: channel.id, target: channel.target, status: 'pending',
          variant: variants[i]!, externalRef: null, plantedAt: null, withdrawnAt: null, createdAt: at, details: {},
        };
        this.d.canaries.insertPlanting(p);
        return { planting: p, channel };
      });
    })();

    const written: Planting[] = [];
    let attempting: Planting | undefined;
    try {
      for (const { planting, channel } of pending) {
        const target = this.d.targets.get(channel.target)!;
        const siblings = written.filter((w) => w.target === planting.target).map((w) => w.details);
        attempting = planting;
        written.push(settle(planting, await target.plant({ ...identity, variant: planting.variant, channel, siblings })));
      }
    } catch (err) {
      await this.undo(canaryId, written, err instanceof PlantingOutcomeUnknown ? attempting?.id : undefined);
      const message = err instanceof Error ? err.message : String(err);
      throw err instanceof AppError ? err : new AppError('planting-failed', `planting failed: ${message}`, 502);
    }

    this.d.db.transaction(() => {
      for (const p of written) {
        const at = now();
        // An import file or a call script: planted when staff confirm it (`tracer plantings confirm`).
        if (p.status === 'awaiting-confirmation') {
          this.d.canaries.markAwaiting(p.id, p.details);
          // An import file sitting in a drop folder can leak before anyone imports it.
          this.d.evidence.append(at, 'planting-prepared', p.id, { canaryId, channelId: p.channelId, target: p.target, variant: p.variant.index });
          continue;
        }
        this.d.canaries.markPlanted(p.id, p.externalRef!, at, p.details);
        this.d.evidence.append(at, 'planting', p.id, {
          canaryId, channelId: p.channelId, target: p.target, externalRef: p.externalRef, variant: p.variant.index,
        });
      }
    })();
    return this.get(canaryId);
  }

  /** A fresh identity that no real record in any of the channels' targets already holds. */
  private async uniqueIdentity(generator: IdentityGenerator, phone: string, channels: Channel[]): Promise<CanaryIdentity> {
    const targets = [...new Set(channels.map((c) => c.target))].map((t) => this.d.targets.get(t)!);
    for (let attempt = 0; attempt < 20; attempt++) {
      const identity = generator.next(phone);
      let clash = false;
      for (const t of targets) if (await t.collides?.(identity)) clash = true;
      if (!clash) return identity;
    }
    throw new AppError('identity-collision', 'could not generate an identity that no real record already holds (20 attempts)', 409);
  }

  /**
   * Withdraws whatever reached a target (last first: rows shared by this canary's plantings go with
   * the first), then removes the canary's records and frees nothing else. keepPending: the planting
   * whose outcome is unknown stays pending, with its canary, for `tracer plantings reconcile`.
   */
  private async undo(canaryId: string, written: Planting[], keepPending?: string): Promise<void> {
    for (const [i, p] of [...written.entries()].reverse()) {
      const siblings = written.slice(0, i).filter((w) => w.target === p.target).map((w) => w.details);
      try {
        await this.d.targets.get(p.target)!.withdraw(p.externalRef, p.details, { siblings });
      } catch (err) {
        // Leave the planting pending: `tracer plantings reconcile` can still find and remove it.
        this.d.log.error({ plantingId: p.id, err: (err as Error).message }, 'could not withdraw a half-made canary');
        return;
      }
    }
    this.d.db.transaction(() => {
      const c = this.d.canaries.find(canaryId);
      if (written.length > 0 || keepPending) {
        this.d.evidence.append(this.d.clock().toISOString(), 'canary-rolled-back', canaryId, {
          withdrawn: written.map((p) => ({ plantingId: p.id, target: p.target, externalRef: p.externalRef })),
          ...(keepPending ? { leftPending: keepPending } : {}),
        });
      }
      if (keepPending) {
        for (const p of written) this.d.canaries.markWithdrawn(p.id, this.d.clock().toISOString());
        this.d.db.prepare(`DELETE FROM plantings WHERE canary_id = ? AND status = 'pending' AND id <> ?`).run(canaryId, keepPending);
        return;
      }
      this.d.db.prepare(`DELETE FROM plantings WHERE canary_id = ?`).run(canaryId);
      this.d.db.prepare(`DELETE FROM canaries WHERE id = ?`).run(canaryId);
      if (!c) return;
      if (written.length === 0) {
        // Never exposed anywhere: a simulated number goes back to the range, a real one stays ready.
        this.d.db.prepare(`DELETE FROM canary_numbers WHERE id = ? AND provider = 'simulated'`).run(c.numberId);
        this.d.db.prepare(`UPDATE canary_numbers SET status = 'ready', assigned_at = NULL WHERE id = ?`).run(c.numberId);
      } else {
        // Someone may have seen it: it must never ring for another canary.
        this.d.db.prepare(`UPDATE canary_numbers SET status = 'retired', retired_at = ? WHERE id = ?`).run(this.d.clock().toISOString(), c.numberId);
      }
    })();
  }
}
