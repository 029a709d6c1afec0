// Events: something that happened, published on the outbox in the transaction that made it true,
// so an event exists exactly when its fact does. Alerts read them after the commit (never on the
// webhook's path). Payloads are small and stable; what an alert shows is read when alerting.
//
// Who publishes what:
//   hit-stored             src/hits/ingest.ts, in the hit's own transaction
//   verdict-changed        attribution, when a channel's verdict changes
//   party-appeared         parties (for now: a caller number first seen calling a canary)
//   number-missing         src/numbers/reconcile.ts, when a number is first found gone from the account
//   number-release-failed  src/numbers/lifecycle.ts, when a release fails
//   budget-near-cap        src/numbers/provisioning.ts, when held numbers first pass 80 % of the monthly budget
//   forged-burst           webhooks, when forged requests come in a burst
//   evidence-checkpoint    src/evidence/service.ts, each signed checkpoint (schedule or on demand):
//                          sent only to outputs that name it in their events, so the anchor also
//                          lives where whoever holds the store cannot reach
import { z } from 'zod';
import type { Outbox } from '../outbox/outbox.ts';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

const verdict = z.enum(['leaking', 'suspect', 'clean', 'undetermined', 'no-data']);

export const eventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hit-stored'), hitId: z.string() }),
  z.object({
    kind: z.literal('verdict-changed'),
    channelId: z.string(),
    from: verdict.nullable(),
    to: verdict,
    probability: z.number().min(0).max(1).nullable().optional(),
    /** The hits behind the new verdict (the first few are linked). */
    hitIds: z.array(z.string()).optional(),
    reason: z.string().max(500).optional(),
  }),
  z.object({
    kind: z.literal('party-appeared'),
    /** For now a party is one caller number; later a grouped, named party. */
    partyId: z.string().optional(),
    callerNumber: z.string(),
    name: z.string().nullable(),
    hitId: z.string().optional(),
  }),
  z.object({ kind: z.literal('number-missing'), numberId: z.string(), last4: z.string() }),
  z.object({ kind: z.literal('number-release-failed'), numberId: z.string(), last4: z.string(), error: z.string() }),
  z.object({
    kind: z.literal('budget-near-cap'),
    budget: z.enum(['numbers-monthly', 'lookups-daily']),
    amount: z.number(),
    cap: z.number(),
    currency: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('forged-burst'),
    /** Forged webhooks refused in the window. */
    count: z.number().int().min(1),
    windowSeconds: z.number().min(0),
    path: z.string().optional(),
    remoteAddrs: z.array(z.string()).max(20).optional(),
  }),
  z.object({
    kind: z.literal('evidence-checkpoint'),
    // The checkpoint as its file line holds it: a receiver can append it to a checkpoint file.
    checkpoint: z.object({
      v: z.literal(1), seq: z.number().int().min(0), hash: z.string(), at: z.string(), keyFingerprint: z.string(), signature: z.string(),
    }),
  }),
]);

export type TracerEvent = z.infer<typeof eventSchema>;
export type EventKind = TracerEvent['kind'];
export const EVENT_KINDS = eventSchema.options.map((o) => o.shape.kind.value) as EventKind[];

/** The outbox job kind that carries events to the alerts area. */
export const EVENT_JOB = 'alert-event';

export interface PublishedEvent {
  event: TracerEvent;
  occurredAt: string;
}

/**
 * Publishes an event. Call it inside the transaction that records the fact: the outbox row
 * commits (or rolls back) with it. Typed, not parsed, here: this runs on the webhook's hot path.
 */
export function publishEvent(outbox: Pick<Outbox, 'enqueue'>, event: TracerEvent, occurredAt: string): void {
  outbox.enqueue(EVENT_JOB, { event, occurredAt } satisfies PublishedEvent, occurredAt);
}

/** What areas without an outbox of their own are handed: `publish(event, at)`. */
export type EventPublisher = (event: TracerEvent, occurredAt: string) => void;

export const eventPublisher = (outbox: Pick<Outbox, 'enqueue'>): EventPublisher => (event, at) => publishEvent(outbox, event, at);

/** How much an event matters by itself; outputs subscribe with a minimum. */
export function severityOf(event: TracerEvent, hitClassification?: string): Severity {
  switch (event.kind) {
    case 'hit-stored':
      if (hitClassification === 'after-planting') return 'high';
      return hitClassification === 'before-planting' ? 'low' : 'info';
    case 'verdict-changed':
      return event.to === 'leaking' ? 'critical' : event.to === 'suspect' ? 'high' : 'info';
    case 'forged-burst':
    case 'number-missing':
      return 'high';
    case 'party-appeared':
    case 'number-release-failed':
    case 'budget-near-cap':
      return 'medium';
    case 'evidence-checkpoint':
      return 'info';
  }
}
