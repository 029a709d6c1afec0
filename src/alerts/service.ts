// What admins do with alert outputs, for the API and the CLI alike: add, list (with state), enable,
// remove, test, and read the delivery record. Secrets (webhook secret, URLs that carry keys) go in
// and never come out, except the webhook secret once, in add's answer.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { Db } from '../store/db.ts';
import { AppError, notFound } from '../errors.ts';
import { randomId } from '../ids.ts';
import type { OutboundPolicy } from '../outbound/policy.ts';
import { sampleAlert } from './compose.ts';
import type { AlertDelivery } from './delivery.ts';
import { EVENT_KINDS, SEVERITIES } from './events.ts';
import type { AlertRepository, DeliveryAttempt } from './repository.ts';
import { OUTPUT_KINDS, type AlertOutput, type Sender } from './types.ts';

const HTTP_KINDS = new Set(['webhook', 'slack', 'teams', 'discord', 'google-chat']);

export const addOutputInput = z.strictObject({
  kind: z.enum(OUTPUT_KINDS),
  name: z.string().trim().min(1).max(80).regex(/^[\p{L}\p{N} ._-]+$/u, 'letters, digits, space, . _ - only'),
  url: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).max(2000).optional(),
  to: z.string().trim().max(320).optional(),
  language: z.enum(['en', 'ar']).default('en'),
  minSeverity: z.enum(SEVERITIES).default('medium'),
  events: z.array(z.enum(EVENT_KINDS)).min(1).optional(),
  throttleMinutes: z.number().min(0).max(10_080).optional(),
}).superRefine((o, ctx) => {
  const needsUrl = HTTP_KINDS.has(o.kind);
  if (needsUrl && !o.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `a ${o.kind} output needs a url` });
  if (!needsUrl && o.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `a ${o.kind} output takes "to", not a url` });
  if (o.kind === 'email' && !z.email().safeParse(o.to).success) ctx.addIssue({ code: 'custom', path: ['to'], message: 'an email output needs "to": an e-mail address' });
  if (o.kind === 'sms' && !/^\+[1-9]\d{7,14}$/.test(o.to ?? '')) ctx.addIssue({ code: 'custom', path: ['to'], message: 'an sms output needs "to": the on-call number in E.164, e.g. +966512345678' });
  if (needsUrl && o.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `a ${o.kind} output takes a url, not "to"` });
});
export type AddOutputInput = z.input<typeof addOutputInput>;

export const deliveriesQuery = z.strictObject({
  output: z.string().max(100).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  cursor: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** Where an output sends, without what makes the URL a secret (path, query). */
function target(o: AlertOutput): string {
  if (o.url) return `${new URL(o.url).origin}/…`;
  return o.recipient ?? '';
}

export interface AlertServiceDeps {
  db: Db;
  repo: AlertRepository;
  delivery: AlertDelivery;
  send: Sender;
  policy: OutboundPolicy;
  clock: () => Date;
  baseUrl: string;
  disableAfterFailures: number;
}

export class AlertService {
  constructor(private readonly d: AlertServiceDeps) {}

  async add(input: AddOutputInput) {
    const o = addOutputInput.parse(input);
    if (this.d.repo.output(o.name)) throw new AppError('conflict', `an output named "${o.name}" exists`, 409);
    if (o.url) await this.checkReachable(o.url);
    const secret = o.kind === 'webhook' ? `whsec_${randomBytes(32).toString('base64url')}` : null;
    const id = randomId('out');
    this.d.repo.insertOutput({
      id, name: o.name, kind: o.kind, url: o.url ?? null, recipient: o.to ?? null, language: o.language, secret,
      minSeverity: o.minSeverity, events: o.events ?? null, throttleMinutes: o.throttleMinutes ?? null, createdAt: this.d.clock().toISOString(),
    });
    // The secret is shown this once; it is needed to verify X-Tracer-Signature.
    return { ...this.present(this.d.repo.output(id)!), ...(secret ? { secret } : {}) };
  }

  list() {
    return this.d.repo.outputs().map((o) => this.present(o));
  }

  show(idOrName: string) {
    return this.present(this.find(idOrName));
  }

  enable(idOrName: string) {
    const o = this.find(idOrName);
    const released = this.d.db.transaction(() => {
      this.d.repo.enable(o.id);
      return this.d.delivery.releaseHeld(o.id);
    })();
    return { ...this.present(this.d.repo.output(o.id)!), released };
  }

  remove(idOrName: string): { id: string; name: string; removed: true } {
    const o = this.find(idOrName);
    this.d.db.transaction(() => this.d.repo.deleteOutput(o.id, this.d.clock().toISOString()))();
    return { id: o.id, name: o.name, removed: true };
  }

  /** Sends a sample alert now and says what the receiver answered. Recorded, not counted as a failure. */
  async test(idOrName: string) {
    const o = this.find(idOrName);
    const at = this.d.clock().toISOString();
    const started = performance.now();
    const outcome = await this.d.send(o, sampleAlert(randomId('al'), this.d.baseUrl, at));
    const latencyMs = Math.round(performance.now() - started);
    this.d.repo.recordAttempt({
      notificationId: null, outputId: o.id, attemptedAt: at, outcome: outcome.ok ? 'delivered' : 'failed', httpStatus: outcome.status,
      latencyMs, error: outcome.error, answer: outcome.answer, test: true,
    });
    return { output: o.name, kind: o.kind, ok: outcome.ok, status: outcome.status, answer: outcome.answer, error: outcome.error, latencyMs };
  }

  /** Every attempt, oldest first, paged by cursor (the last attempt's id). */
  deliveries(query: z.input<typeof deliveriesQuery>): { deliveries: DeliveryAttempt[]; nextCursor: number | null } {
    const q = deliveriesQuery.parse(query);
    const outputId = q.output === undefined ? undefined : this.find(q.output).id;
    const page = this.d.repo.attempts({ outputId, since: q.since && new Date(q.since).toISOString(), after: q.cursor, limit: q.limit + 1 });
    const more = page.length > q.limit;
    const deliveries = page.slice(0, q.limit);
    return { deliveries, nextCursor: more ? deliveries[deliveries.length - 1]!.id : null };
  }

  private find(idOrName: string): AlertOutput {
    const o = this.d.repo.output(idOrName);
    if (!o) throw notFound('output', idOrName);
    return o;
  }

  /** An address the outbound client would refuse is refused now, not at the first alert. */
  private async checkReachable(raw: string): Promise<void> {
    const url = new URL(raw);
    if (url.username || url.password) throw new AppError('invalid-request', 'url: must not carry credentials');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    try {
      // A slow resolver must not hold the admin's request: 2 s, then the connect-time check decides.
      await Promise.race([this.d.policy.connectAddress(host, port), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    } catch (err) {
      // A name that does not resolve today may tomorrow; the connect-time check still guards it.
      if ((err as AppError).code === 'outbound-refused' || isIP(host)) throw err;
    }
  }

  private present(o: AlertOutput) {
    const last = this.d.repo.lastAttempt(o.id);
    return {
      id: o.id, name: o.name, kind: o.kind, target: target(o), language: o.language, minSeverity: o.minSeverity,
      events: o.events ?? 'all', throttleMinutes: o.throttleMinutes, enabled: o.enabled, consecutiveFailures: o.consecutiveFailures,
      disabledAt: o.disabledAt,
      warning: o.enabled ? null : `disabled after ${this.d.disableAfterFailures} consecutive failures (${o.disabledReason ?? 'failed'}); alerts are held — run "tracer alerts enable ${o.name}" once the receiver works`,
      pending: this.d.repo.pendingCount(o.id),
      lastDelivery: last ? { at: last.attemptedAt, outcome: last.outcome, status: last.httpStatus, latencyMs: last.latencyMs, error: last.error, test: last.test } : null,
      createdAt: o.createdAt,
    };
  }
}
