// Dry run: the exact statements (with parameters), requests and CSV rows a creation would make,
// making none. No number is assigned and nothing is stored; the canary number is shown as a
// placeholder, and so are keys the database would generate.
import { AppError, notFound } from '../errors.ts';
import type { Channel, ChannelRepository } from '../channels/channels.ts';
import { createCanariesInput, type CreateCanariesInput } from '../canaries/service.ts';
import type { IdentityGenerator } from '../identities/index.ts';
import type { Locale, Persona, Ticket } from '../identities/types.ts';
import type { PlannedStep, PlantingDetails, TargetRegistry } from './target.ts';

/** Canaries shown in full; the rest of a large request would be written the same way. */
const SHOWN = 3;
const PLACEHOLDER_PHONE = '<canary number, assigned at creation>';

export interface DryRunPlanting {
  channelId: string;
  channel: string;
  target: string;
  kind: string;
  steps: PlannedStep[];
}

export interface DryRun {
  dryRun: true;
  count: number;
  shown: number;
  note: string;
  canaries: Array<{ persona: Persona; ticket: Ticket; plantings: DryRunPlanting[] }>;
}

export interface DryRunDeps {
  channels: ChannelRepository;
  targets: TargetRegistry;
  generatorFor: (locale: Locale) => IdentityGenerator;
  defaultLocale: Locale;
  /** Whether the request would go the batched way (multi-row statements per 500 canaries). */
  batched: (channels: Channel[]) => boolean;
}

export async function dryRunCreation(d: DryRunDeps, input: CreateCanariesInput): Promise<DryRun> {
  const data = createCanariesInput.parse(input);
  const channels = [...new Set(data.channelIds)].map((id) => {
    const c = d.channels.find(id) ?? d.channels.findByName(id);
    if (!c) throw notFound('channel', id);
    if (!d.targets.get(c.target)) throw new AppError('unknown-target', `channel "${c.name}" names target "${c.target}", which is not configured`, 400);
    return c;
  });
  const generator = d.generatorFor(data.locale ?? d.defaultLocale);
  const shown = Math.min(SHOWN, data.count);
  const canaries: DryRun['canaries'] = [];
  for (let i = 0; i < shown; i++) {
    const drawn = generator.next();
    const variants = generator.variants(drawn, channels.length);
    const persona = { ...drawn.persona, phone: { e164: PLACEHOLDER_PHONE, national: PLACEHOLDER_PHONE } };
    const written = new Map<string, PlantingDetails[]>();
    const plantings: DryRunPlanting[] = [];
    for (const [c, channel] of channels.entries()) {
      const target = d.targets.get(channel.target)!;
      const siblings = written.get(target.name) ?? [];
      const plan = target.plan
        ? await target.plan({ persona, ticket: drawn.ticket, variant: variants[c]!, channel, siblings })
        : { steps: [{ action: 'unknown', note: `target "${target.name}" cannot show its writes in advance` }] };
      if (plan.details) written.set(target.name, [...siblings, plan.details]);
      plantings.push({ channelId: channel.id, channel: channel.name, target: target.name, kind: target.kind ?? 'custom', steps: plan.steps });
    }
    canaries.push({ persona, ticket: drawn.ticket, plantings });
  }
  const batched = data.count > 1 && d.batched(channels);
  const note = [
    'Nothing was written: no number assigned, no canary stored, no target touched (reads only: schema and routing checks).',
    data.count > shown ? `${data.count - shown} more canaries would be written the same way.` : '',
    batched ? 'SQL targets would write them in batches of 500: one multi-row INSERT per table per batch on PostgreSQL, one transaction per batch.' : '',
  ].filter(Boolean).join(' ');
  return { dryRun: true, count: data.count, shown, note, canaries };
}
