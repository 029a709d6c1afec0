// The switchboard: an event, read from the outbox after its commit, becomes one notification per
// output whose rule takes it (event kinds, minimum severity). Stored hits are throttled per
// (output, canary) and per (output, party — for now the caller number): the first at once, the
// rest of the window merged into one digest sent when the window closes. A throttle merges
// alerts; it never drops a hit, and the hits themselves are never touched.
//
// Everything here runs in the outbox's write phase, one event after another inside one
// transaction, so two events of one batch never both find a window closed.
import type { Logger } from '../log.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { randomId } from '../ids.ts';
import { digestAlert, eventAlert, hitAlert, type AlertFacts, type HitFacts, type Verdicts } from './compose.ts';
import { eventSchema, severityOf, severityRank, type PublishedEvent, type Severity, type TracerEvent } from './events.ts';
import type { AlertRepository } from './repository.ts';
import type { Alert, AlertOutput } from './types.ts';

export const DELIVER_JOB = 'alert-deliver';
export const DIGEST_JOB = 'alert-digest';

export interface DispatchDeps {
  repo: AlertRepository;
  facts: AlertFacts;
  outbox: Outbox;
  clock: () => Date;
  log: Logger;
  baseUrl: string;
  /** Channel id → verdict now. */
  verdicts: () => Promise<Verdicts>;
  defaultThrottleMinutes: number;
}

const subscribed = (o: AlertOutput, e: TracerEvent, s: Severity) =>
  // A checkpoint is an anchor, not an alarm: outputs that name it get it whatever their minimum.
  e.kind === 'evidence-checkpoint' ? o.events?.includes(e.kind) === true
    : (o.events === null || o.events.includes(e.kind)) && severityRank(s) >= severityRank(o.minSeverity);

export class AlertDispatcher {
  constructor(private readonly d: DispatchDeps) {}

  /** The outbox handler for events: all of its work is in the write it returns. */
  // Verdicts are read before the job's write (off the event loop, on the report's thread); the write itself stays synchronous.
  readonly handleEvent = async (payload: unknown) => {
    const verdicts = await this.d.verdicts();
    return () => this.dispatch(payload, verdicts);
  };

  readonly handleDigest = async (payload: { notificationId: string }) => {
    const verdicts = await this.d.verdicts();
    return () => this.closeDigest(payload.notificationId, verdicts);
  };

  dispatch(payload: unknown, verdicts: Verdicts): void {
    const parsed = eventSchema.safeParse((payload as PublishedEvent | null)?.event);
    if (!parsed.success) {
      this.d.log.warn({ issues: parsed.error.issues.length }, 'an event on the outbox does not have the event shape; no alert');
      return;
    }
    const event = parsed.data;
    const occurredAt = (payload as PublishedEvent).occurredAt;
    const outputs = this.d.repo.outputs();
    if (outputs.length === 0) return;
    if (event.kind === 'hit-stored') return this.dispatchHit(event.hitId, outputs, verdicts);
    const severity = severityOf(event);
    const takers = outputs.filter((o) => subscribed(o, event, severity));
    if (takers.length === 0) return;
    const ctx = { baseUrl: this.d.baseUrl, verdicts, channelName: (id: string) => this.d.facts.channelName(id) };
    for (const o of takers) this.notifyNow(o, eventAlert(randomId('al'), event, occurredAt, ctx, severity), null);
  }

  private dispatchHit(hitId: string, outputs: AlertOutput[], verdicts: Verdicts): void {
    const facts = this.d.facts.hit(hitId);
    if (!facts) return;
    const severity = severityOf({ kind: 'hit-stored', hitId }, facts.classification);
    const takers = outputs.filter((o) => subscribed(o, { kind: 'hit-stored', hitId }, severity));
    if (takers.length === 0) return;
    for (const o of takers) {
      const alert = hitAlert(randomId('al'), facts, verdicts, this.d.baseUrl, severity);
      const minutes = o.throttleMinutes ?? this.d.defaultThrottleMinutes;
      if (minutes > 0) this.throttled(o, alert, facts, minutes);
      else this.notifyNow(o, alert, null);
    }
  }

  private throttled(o: AlertOutput, alert: Alert, f: HitFacts, minutes: number): void {
    const now = this.d.clock();
    const at = now.toISOString();
    const keys = [f.canaryId ? `canary:${f.canaryId}` : null, `party:${f.from}`].filter((k): k is string => k !== null);
    for (const key of keys) {
      const open = this.d.repo.openWindow(o.id, key, at);
      if (!open) continue;
      const digestId = this.collectingDigest(o, key, open, alert, minutes);
      this.d.repo.addDigestHit(digestId, f.hitId, { number: f.from, name: f.callerName });
      return;
    }
    this.notifyNow(o, alert, keys[0]!);
    const endsAt = new Date(now.getTime() + minutes * 60_000).toISOString();
    for (const key of keys) this.d.repo.openWindowFor(o.id, key, endsAt);
  }

  /** The window's digest, created with its first hit and due when the window closes. */
  private collectingDigest(o: AlertOutput, key: string, open: { windowEndsAt: string; digestId: string | null }, first: Alert, minutes: number): string {
    if (open.digestId && this.d.repo.notification(open.digestId)?.status === 'collecting') return open.digestId;
    const id = randomId('al');
    const at = this.d.clock().toISOString();
    const windowStartedAt = new Date(Date.parse(open.windowEndsAt) - minutes * 60_000).toISOString();
    this.d.repo.insertNotification({
      id, outputId: o.id, eventKind: 'hit-stored', severity: first.severity, isDigest: true, throttleKey: key,
      alert: { ...first, id, digest: { count: 0, callers: [], hitIds: [], windowStartedAt, windowEndedAt: open.windowEndsAt } },
      status: 'collecting', createdAt: at, dueAt: open.windowEndsAt,
    });
    this.d.repo.setWindowDigest(o.id, key, id);
    this.d.outbox.enqueue(DIGEST_JOB, { notificationId: id }, at, open.windowEndsAt);
    return id;
  }

  private closeDigest(notificationId: string, verdicts: Verdicts): void {
    const n = this.d.repo.notification(notificationId);
    if (!n || n.status !== 'collecting') return;
    const hits = this.d.repo.digestHits(n.id);
    const first = { ...n.alert, channels: n.alert.channels.map((c) => ({ ...c, verdict: verdicts.get(c.id) ?? c.verdict })) };
    const alert = digestAlert(first, hits, { from: n.alert.digest!.windowStartedAt, to: n.dueAt });
    const output = this.d.repo.output(n.outputId);
    if (!output) return this.d.repo.setNotification(n.id, 'cancelled', { alert });
    this.d.repo.setNotification(n.id, output.enabled ? 'pending' : 'held', { alert });
    if (output.enabled) this.d.outbox.enqueue(DELIVER_JOB, { notificationId: n.id }, this.d.clock().toISOString());
  }

  private notifyNow(o: AlertOutput, alert: Alert, throttleKey: string | null): void {
    const at = this.d.clock().toISOString();
    // A disabled output still gets the notification, held: re-enabled, it is sent. Nothing is lost.
    this.d.repo.insertNotification({
      id: alert.id, outputId: o.id, eventKind: alert.event, severity: alert.severity, isDigest: false, throttleKey, alert,
      status: o.enabled ? 'pending' : 'held', createdAt: at, dueAt: at,
    });
    if (o.enabled) this.d.outbox.enqueue(DELIVER_JOB, { notificationId: alert.id }, at);
  }
}
