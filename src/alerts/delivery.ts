// Delivery, an outbox job: after the commit, never on the webhook's path. The network part runs in
// the handler; what it learnt is written in the outbox's write phase. Every attempt is recorded
// (outcome, status, latency, error). A failure is retried with backoff and jitter; an output that
// fails ALERT_DISABLE_AFTER_FAILURES times in a row is disabled, and what it is owed is held, not
// dropped, until an admin enables it again.
import { performance } from 'node:perf_hooks';
import type { Logger } from '../log.ts';
import { retryDelayMs, type Outbox } from '../outbox/outbox.ts';
import { DELIVER_JOB } from './dispatch.ts';
import type { AlertRepository, Notification } from './repository.ts';
import type { AlertOutput, SendOutcome, Sender } from './types.ts';

export interface DeliveryDeps {
  repo: AlertRepository;
  outbox: Outbox;
  send: Sender;
  clock: () => Date;
  log: Logger;
  disableAfterFailures: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export class AlertDelivery {
  constructor(private readonly d: DeliveryDeps) {}

  readonly handleDeliver = async (payload: { notificationId: string }) => {
    const n = this.d.repo.notification(payload.notificationId);
    if (!n || n.status !== 'pending') return;
    const o = this.d.repo.output(n.outputId);
    if (!o) return () => this.d.repo.setNotification(n.id, 'cancelled');
    if (!o.enabled) return () => this.d.repo.setNotification(n.id, 'held');
    const started = performance.now();
    const outcome = await this.d.send(o, n.alert);
    const latencyMs = Math.round(performance.now() - started);
    return () => this.record(n, o, outcome, latencyMs);
  };

  private record(n: Notification, o: AlertOutput, outcome: SendOutcome, latencyMs: number): void {
    const at = this.d.clock().toISOString();
    this.d.repo.recordAttempt({
      notificationId: n.id, outputId: o.id, attemptedAt: at, outcome: outcome.ok ? 'delivered' : 'failed',
      httpStatus: outcome.status, latencyMs, error: outcome.error, answer: outcome.answer, test: false,
    });
    if (outcome.ok) {
      this.d.repo.setNotification(n.id, 'sent', { sentAt: at, error: null, attempted: true });
      this.d.repo.recordSuccess(o.id);
      return;
    }
    const failures = this.d.repo.recordFailure(o.id);
    if (failures >= this.d.disableAfterFailures) {
      this.d.repo.disable(o.id, at, `${failures} consecutive failures; last: ${outcome.error ?? 'failed'}`);
      this.d.log.warn({ outputId: o.id, output: o.name, failures }, 'alert output disabled after consecutive failures; alerts are held until it is enabled');
    }
    const stillEnabled = this.d.repo.output(o.id)?.enabled ?? false;
    this.d.repo.setNotification(n.id, stillEnabled ? 'pending' : 'held', { error: outcome.error, attempted: true });
    if (!stillEnabled) return;
    const retryAt = new Date(Date.parse(at) + retryDelayMs(n.attempts + 1, this.d.retryBaseMs, this.d.retryMaxMs)).toISOString();
    this.d.outbox.enqueue(DELIVER_JOB, { notificationId: n.id }, at, retryAt);
  }

  /** An output enabled again: what it was owed while disabled goes out now. */
  releaseHeld(outputId: string): number {
    const at = this.d.clock().toISOString();
    const held = this.d.repo.heldFor(outputId);
    for (const id of held) {
      this.d.repo.setNotification(id, 'pending');
      this.d.outbox.enqueue(DELIVER_JOB, { notificationId: id }, at);
    }
    return held.length;
  }
}
