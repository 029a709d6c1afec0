import { z } from 'zod';
import { AppError, notFound } from '../errors.ts';
import type { Channel, ChannelRepository } from '../channels/channels.ts';
import { LOCALES, type Locale } from '../identities/types.ts';
import type { TargetRegistry } from '../planting/target.ts';
import type { CanarySpec, PlantOptions, PlantingPipeline } from '../planting/pipeline.ts';
import type { Page, PageRequest } from '../store/paging.ts';
import type { Canary, CanaryFilter, CanaryRepository } from './repository.ts';

export const createCanariesInput = z.strictObject({
  channelIds: z.array(z.string().min(1).max(100)).min(1).max(50),
  locale: z.enum(LOCALES).optional(),
  count: z.number().int().min(1).max(10_000).default(1),
  dryRun: z.boolean().optional(),
  confirmCost: z.boolean().optional(),
});
export type CreateCanariesInput = z.input<typeof createCanariesInput>;

export interface CanaryServiceDeps {
  canaries: CanaryRepository;
  channels: ChannelRepository;
  targets: TargetRegistry;
  pipeline: PlantingPipeline;
  defaultLocale: Locale;
}

/**
 * Creates canaries and plants each into every requested channel, through the one planting pipeline
 * (src/planting/pipeline.ts): a single canary is a batch of one. A request of up to one batch (500) is
 * all-or-nothing; a canary whose ticket reached a target before a failure is kept as exposed.
 */
export class CanaryService {
  constructor(private readonly d: CanaryServiceDeps) {}

  async create(input: CreateCanariesInput, o: PlantOptions = {}): Promise<Canary[]> {
    const data = createCanariesInput.parse(input);
    const channels = this.resolveChannels(data.channelIds);
    const specs: CanarySpec[] = Array.from({ length: data.count }, () => ({ channels }));
    return this.d.pipeline.plant(specs, data.locale ?? this.d.defaultLocale, o);
  }

  /** Plants canaries each into its own channels (a campaign's design). */
  async plantSpecs(channelIds: string[][], locale: Locale | undefined, o: PlantOptions = {}): Promise<Canary[]> {
    const specs = channelIds.map((ids) => ({ channels: this.resolveChannels(ids) }));
    return this.d.pipeline.plant(specs, locale ?? this.d.defaultLocale, o);
  }

  get(id: string): Canary {
    const c = this.d.canaries.find(id);
    if (!c) throw notFound('canary', id);
    return c;
  }

  list(filter: CanaryFilter = {}, page: PageRequest = {}): Page<Canary> {
    return this.d.canaries.list(filter, page);
  }

  resolveChannels(ids: string[]): Channel[] {
    const unique = [...new Set(ids)];
    return unique.map((id) => {
      const c = this.d.channels.find(id);
      if (!c) throw notFound('channel', id);
      this.d.channels.assertPlantable(c);
      if (!this.d.targets.get(c.target)) {
        throw new AppError('unknown-target', `channel "${c.name}" names target "${c.target}", which is not configured`, 400);
      }
      return c;
    });
  }
}
