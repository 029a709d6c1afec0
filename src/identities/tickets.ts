// Complaint tickets: a category as often as utilities really see it, a description composed from
// the locale's phrase pack, and the fields a CRM would hold.
import { formatInZone } from './clock.ts';
import { drawTicketInstant, type HistoryShape } from './history.ts';
import type { CategoryPhrases, TicketPhrases, Voice } from './locales/phrases.ts';
import type { Random } from './random.ts';
import { containsTellWord } from './tells.ts';
import type { Ticket, TicketCategory } from './types.ts';

export interface TicketContext {
  street: string;
  district: string;
  city: string;
  /** Bill amounts in the locale's currency: [min, max]. */
  amountRange: readonly [number, number];
}

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

/** Rough shares seen in utility call-centre statistics: leaks and bills dominate. */
const CATEGORY_WEIGHTS: Weighted<TicketCategory> = [
  ['network-leak', 25], ['internal-leak-high-bill', 20], ['no-water', 18], ['meter-check', 12],
  ['sewage-overflow', 10], ['water-quality', 8], ['new-connection', 7],
];
const CHANNEL_WEIGHTS: Weighted<Ticket['intakeChannel']> = [['call-centre', 50], ['app', 25], ['web', 15], ['branch', 10]];
/** Most complaints a CIS holds were dealt with long ago: closed, some resolved awaiting closure, a few in work. */
const STATUS_WEIGHTS: Weighted<Ticket['status']> = [['closed', 64], ['resolved', 16], ['in-progress', 12], ['open', 8]];
const URGENT_CATEGORIES: readonly TicketCategory[] = ['network-leak', 'sewage-overflow', 'no-water'];

export function weighted<T>(random: Random, items: Weighted<T>): T {
  return random.faker.helpers.weightedArrayElement(items.map(([value, weight]) => ({ value, weight })));
}

function priorityFor(random: Random, category: TicketCategory): Ticket['priority'] {
  if (URGENT_CATEGORIES.includes(category)) return weighted(random, [['urgent', 20], ['high', 45], ['normal', 35]]);
  if (category === 'new-connection') return weighted(random, [['low', 60], ['normal', 40]]);
  return weighted(random, [['low', 20], ['normal', 65], ['high', 15]]);
}

/** Agents type what callers and walk-ins say; app and web users write for themselves. */
export function voiceFor(random: Random, channel: Ticket['intakeChannel']): Voice {
  const agentShare = channel === 'call-centre' || channel === 'branch' ? 0.85 : 0.1;
  return random.chance(agentShare) ? 'agent' : 'customer';
}

export function createTicket(
  random: Random,
  phrases: TicketPhrases,
  context: TicketContext,
  shape: HistoryShape & { windowDays: number },
  now: Date,
): Ticket {
  const category = weighted(random, CATEGORY_WEIGHTS);
  const intakeChannel = weighted(random, CHANNEL_WEIGHTS);
  const voice = voiceFor(random, intakeChannel);
  const instant = drawTicketInstant(random, shape, now.getTime(), shape.windowDays);
  return {
    category,
    description: composeDescription(random, phrases, category, voice, context),
    priority: priorityFor(random, category),
    status: weighted(random, STATUS_WEIGHTS),
    intakeChannel,
    createdAt: formatInZone(instant, shape.hours.timeZone),
  };
}

/** A description that reads like a customer's or an agent's, never one holding a tell word. */
export function composeDescription(
  random: Random,
  phrases: TicketPhrases,
  category: TicketCategory,
  voice: Voice,
  context: TicketContext,
): string {
  for (;;) {
    const text = composeOnce(random, phrases, category, voice, context);
    if (!containsTellWord(text)) return text;
  }
}

/** One opening, then a shuffled handful of optional fragments, joined the way this voice writes. */
function composeOnce(
  random: Random,
  phrases: TicketPhrases,
  category: TicketCategory,
  voice: Voice,
  context: TicketContext,
): string {
  const pack: CategoryPhrases = phrases.categories[category];
  const fragments = [random.pick(pack.openings[voice])];
  const optional: string[] = [];
  if (random.chance(0.75)) optional.push(random.pick(pack.details[voice]));
  if (random.chance(0.35)) optional.push(random.pick(pack.details[voice]));
  if (pack.timed && random.chance(0.7)) optional.push(random.pick(phrases.durations[voice]));
  if (random.chance(0.45)) optional.push(random.pick(pack.tried[voice]));
  // Real tickets rarely stop at the opening line, and short ones would repeat across canaries.
  while (optional.length < 2) optional.push(random.pick(random.chance(0.7) ? pack.details[voice] : pack.tried[voice]));
  fragments.push(...new Set(random.faker.helpers.shuffle(optional)));
  if (random.chance(0.4)) fragments.push(random.pick(phrases.contact[voice]));
  const joiner = random.pick(phrases.joiners[voice]);
  const text = fragments.map((f, i) => (i > 0 && /[.!?] $/.test(joiner) ? capitalise(f) : f)).join(joiner);
  return fill(text, context, random) + random.pick(phrases.endings[voice]);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fill(text: string, context: TicketContext, random: Random): string {
  return text
    .replaceAll('{street}', context.street)
    .replaceAll('{district}', context.district)
    .replaceAll('{city}', context.city)
    .replaceAll('{floor}', String(random.int(2, 6)))
    .replaceAll('{amount}', () => {
      const [min, max] = context.amountRange;
      // Bills end in odd amounts; a round figure reads invented.
      return (random.int(min * 100, max * 100) / 100).toFixed(2).replace(/\.00$/, '');
    });
}
