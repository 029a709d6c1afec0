// The alerts area's tables: outputs, notifications (what each output is owed), digest hits,
// throttle windows and delivery attempts. One owner: nothing else writes them.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.ts';
import type { EventKind, Severity } from './events.ts';
import type { Alert, AlertLanguage, AlertOutput, OutputKind } from './types.ts';

interface OutputRow {
  id: string; name: string; kind: OutputKind; url: string | null; recipient: string | null; language: AlertLanguage;
  secret: string | null; min_severity: Severity; events: string | null; throttle_minutes: number | null; enabled: number;
  consecutive_failures: number; disabled_at: string | null; disabled_reason: string | null; created_at: string;
}

const toOutput = (r: OutputRow): AlertOutput => ({
  id: r.id, name: r.name, kind: r.kind, url: r.url, recipient: r.recipient, language: r.language, secret: r.secret,
  minSeverity: r.min_severity, events: r.events === null ? null : (JSON.parse(r.events) as EventKind[]),
  throttleMinutes: r.throttle_minutes, enabled: r.enabled === 1, consecutiveFailures: r.consecutive_failures,
  disabledAt: r.disabled_at, disabledReason: r.disabled_reason, createdAt: r.created_at,
});

export type NotificationStatus = 'collecting' | 'pending' | 'sent' | 'held' | 'cancelled';

export interface Notification {
  id: string;
  outputId: string;
  eventKind: EventKind;
  severity: Severity;
  isDigest: boolean;
  throttleKey: string | null;
  alert: Alert;
  status: NotificationStatus;
  attempts: number;
  createdAt: string;
  dueAt: string;
}

interface NotificationRow {
  id: string; output_id: string; event_kind: EventKind; severity: Severity; is_digest: number; throttle_key: string | null;
  alert: string; status: NotificationStatus; attempts: number; created_at: string; due_at: string;
}

const toNotification = (r: NotificationRow): Notification => ({
  id: r.id, outputId: r.output_id, eventKind: r.event_kind, severity: r.severity, isDigest: r.is_digest === 1,
  throttleKey: r.throttle_key, alert: JSON.parse(r.alert) as Alert, status: r.status, attempts: r.attempts,
  createdAt: r.created_at, dueAt: r.due_at,
});

export interface DeliveryAttempt {
  id: number;
  notificationId: string | null;
  outputId: string;
  attemptedAt: string;
  outcome: 'delivered' | 'failed';
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
  answer: string | null;
  test: boolean;
}

const ATTEMPTS_WHERE = `SELECT * FROM alert_deliveries WHERE (@outputId IS NULL OR output_id = @outputId)
  AND (@since IS NULL OR attempted_at >= @since) AND id > @after`;
const ATTEMPTS_OLDEST_FIRST = `${ATTEMPTS_WHERE} ORDER BY id ASC LIMIT @limit`;
const ATTEMPTS_NEWEST_FIRST = `${ATTEMPTS_WHERE} ORDER BY id DESC LIMIT @limit`;

export type NewOutput = Omit<AlertOutput, 'enabled' | 'consecutiveFailures' | 'disabledAt' | 'disabledReason'>;

export class AlertRepository {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  /** Each statement prepared once: events pass through here on every stored hit. */
  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  insertOutput(o: NewOutput): void {
    this.prepare(
      `INSERT INTO alert_outputs (id, name, kind, url, recipient, language, secret, min_severity, events, throttle_minutes, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(o.id, o.name, o.kind, o.url, o.recipient, o.language, o.secret, o.minSeverity,
      o.events === null ? null : JSON.stringify(o.events), o.throttleMinutes, o.createdAt);
  }

  outputs(): AlertOutput[] {
    return (this.prepare('SELECT * FROM alert_outputs ORDER BY created_at, id').all() as OutputRow[]).map(toOutput);
  }

  output(idOrName: string): AlertOutput | undefined {
    const r = this.prepare('SELECT * FROM alert_outputs WHERE id = ? OR name = ?').get(idOrName, idOrName) as OutputRow | undefined;
    return r && toOutput(r);
  }

  deleteOutput(id: string, at: string): void {
    this.prepare('DELETE FROM alert_outputs WHERE id = ?').run(id);
    this.prepare('DELETE FROM alert_throttle WHERE output_id = ?').run(id);
    this.prepare(
      "UPDATE alert_notifications SET status = 'cancelled', last_error = ? WHERE output_id = ? AND status IN ('collecting', 'pending', 'held')",
    ).run(`output removed at ${at}`, id);
  }

  recordSuccess(outputId: string): void {
    this.prepare('UPDATE alert_outputs SET consecutive_failures = 0 WHERE id = ?').run(outputId);
  }

  /** Returns the output's consecutive failures after this one. */
  recordFailure(outputId: string): number {
    return (this.prepare('UPDATE alert_outputs SET consecutive_failures = consecutive_failures + 1 WHERE id = ? RETURNING consecutive_failures')
      .pluck().get(outputId) as number | undefined) ?? 0;
  }

  disable(outputId: string, at: string, reason: string): void {
    this.prepare('UPDATE alert_outputs SET enabled = 0, disabled_at = ?, disabled_reason = ? WHERE id = ? AND enabled = 1').run(at, reason, outputId);
  }

  enable(outputId: string): void {
    this.prepare('UPDATE alert_outputs SET enabled = 1, consecutive_failures = 0, disabled_at = NULL, disabled_reason = NULL WHERE id = ?').run(outputId);
  }

  insertNotification(n: Omit<Notification, 'attempts'>): void {
    this.prepare(
      `INSERT INTO alert_notifications (id, output_id, event_kind, severity, is_digest, throttle_key, alert, status, created_at, due_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(n.id, n.outputId, n.eventKind, n.severity, n.isDigest ? 1 : 0, n.throttleKey, JSON.stringify(n.alert), n.status, n.createdAt, n.dueAt);
  }

  notification(id: string): Notification | undefined {
    const r = this.prepare('SELECT * FROM alert_notifications WHERE id = ?').get(id) as NotificationRow | undefined;
    return r && toNotification(r);
  }

  setNotification(id: string, status: NotificationStatus, o: { alert?: Alert; sentAt?: string; error?: string | null; attempted?: boolean } = {}): void {
    this.prepare(
      `UPDATE alert_notifications SET status = ?, alert = coalesce(?, alert), sent_at = coalesce(?, sent_at),
         last_error = CASE WHEN ? THEN ? ELSE last_error END, attempts = attempts + ? WHERE id = ?`,
    ).run(status, o.alert ? JSON.stringify(o.alert) : null, o.sentAt ?? null, o.error === undefined ? 0 : 1, o.error ?? null, o.attempted ? 1 : 0, id);
  }

  /** Held for a disabled output: to send once it is enabled again. */
  heldFor(outputId: string): string[] {
    return this.prepare("SELECT id FROM alert_notifications WHERE output_id = ? AND status = 'held' ORDER BY created_at, id").pluck().all(outputId) as string[];
  }

  pendingCount(outputId: string): number {
    return this.prepare("SELECT count(*) FROM alert_notifications WHERE output_id = ? AND status IN ('pending', 'held', 'collecting')").pluck().get(outputId) as number;
  }

  /** The throttle window open for (output, key) at `now`, if any. */
  openWindow(outputId: string, key: string, now: string): { windowEndsAt: string; digestId: string | null } | undefined {
    const r = this.prepare('SELECT window_ends_at, digest_id FROM alert_throttle WHERE output_id = ? AND throttle_key = ? AND window_ends_at > ?')
      .get(outputId, key, now) as { window_ends_at: string; digest_id: string | null } | undefined;
    return r && { windowEndsAt: r.window_ends_at, digestId: r.digest_id };
  }

  openWindowFor(outputId: string, key: string, endsAt: string): void {
    this.prepare(
      `INSERT INTO alert_throttle (output_id, throttle_key, window_ends_at, digest_id) VALUES (?, ?, ?, NULL)
       ON CONFLICT (output_id, throttle_key) DO UPDATE SET window_ends_at = excluded.window_ends_at, digest_id = NULL`,
    ).run(outputId, key, endsAt);
  }

  setWindowDigest(outputId: string, key: string, digestId: string): void {
    this.prepare('UPDATE alert_throttle SET digest_id = ? WHERE output_id = ? AND throttle_key = ?').run(digestId, outputId, key);
  }

  addDigestHit(notificationId: string, hitId: string, caller: { number: string; name: string | null }): void {
    this.prepare('INSERT OR IGNORE INTO alert_digest_hits (notification_id, hit_id, caller_number, caller_name) VALUES (?, ?, ?, ?)')
      .run(notificationId, hitId, caller.number, caller.name);
  }

  digestHits(notificationId: string): Array<{ hitId: string; number: string; name: string | null }> {
    return this.prepare(
      `SELECT d.hit_id AS hitId, d.caller_number AS number, d.caller_name AS name FROM alert_digest_hits d
       LEFT JOIN hits h ON h.id = d.hit_id WHERE d.notification_id = ? ORDER BY h.received_at, d.hit_id`,
    ).all(notificationId) as Array<{ hitId: string; number: string; name: string | null }>;
  }

  recordAttempt(a: Omit<DeliveryAttempt, 'id'>): void {
    this.prepare(
      `INSERT INTO alert_deliveries (notification_id, output_id, attempted_at, outcome, http_status, latency_ms, error, answer, is_test)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(a.notificationId, a.outputId, a.attemptedAt, a.outcome, a.httpStatus, a.latencyMs, a.error?.slice(0, 500) ?? null,
      a.answer?.slice(0, 500) ?? null, a.test ? 1 : 0);
  }

  lastAttempt(outputId: string): DeliveryAttempt | undefined {
    return this.attempts({ outputId, limit: 1, newestFirst: true })[0];
  }

  /** Attempts after the cursor `after` (an attempt id), oldest first unless newestFirst. */
  attempts(q: { outputId?: string; since?: string; after?: number; limit: number; newestFirst?: boolean }): DeliveryAttempt[] {
    const rows = this.prepare(q.newestFirst ? ATTEMPTS_NEWEST_FIRST : ATTEMPTS_OLDEST_FIRST).all({ outputId: q.outputId ?? null, since: q.since ?? null, after: q.after ?? 0, limit: q.limit }) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: r.id as number, notificationId: r.notification_id as string | null, outputId: r.output_id as string,
      attemptedAt: r.attempted_at as string, outcome: r.outcome as DeliveryAttempt['outcome'], httpStatus: r.http_status as number | null,
      latencyMs: r.latency_ms as number, error: r.error as string | null, answer: r.answer as string | null, test: r.is_test === 1,
    }));
  }
}
