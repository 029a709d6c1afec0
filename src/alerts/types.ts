import type { EventKind, Severity } from './events.ts';

export const OUTPUT_KINDS = ['webhook', 'slack', 'teams', 'discord', 'google-chat', 'email', 'sms'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];
export type AlertLanguage = 'en' | 'ar';

/** An output as stored: `url` and `secret` are secrets and never leave through the API or a log. */
export interface AlertOutput {
  id: string;
  name: string;
  kind: OutputKind;
  url: string | null;
  /** E-mail address or phone number (E.164) for email and sms. */
  recipient: string | null;
  language: AlertLanguage;
  secret: string | null;
  minSeverity: Severity;
  /** null: every event kind. */
  events: EventKind[] | null;
  /** null: the configured default (ALERT_THROTTLE_MINUTES); 0: no throttle. */
  throttleMinutes: number | null;
  enabled: boolean;
  consecutiveFailures: number;
  disabledAt: string | null;
  disabledReason: string | null;
  createdAt: string;
}

export interface AlertCaller {
  number: string;
  name: string | null;
}

export interface AlertChannel {
  id: string;
  name: string;
  verdict: string | null;
}

/**
 * What one alert says, the same for every output; each output only formats it. Never the
 * canary's persona, never a raw webhook: the one line, the verdict now, and a link.
 */
export interface Alert {
  /** The notification's id: the same on every retry, so a receiver can drop repeats. */
  id: string;
  event: EventKind;
  severity: Severity;
  occurredAt: string;
  /** One line saying what happened. */
  summary: string;
  /** The channel name(s) the canary was planted in, joined; null when no channel is involved. */
  channel: string | null;
  channels: AlertChannel[];
  canaryNumberLast4: string | null;
  caller: AlertCaller | null;
  /** The verdict now, e.g. "leaking" or "leaking (CRM export), suspect (Vendor A)". */
  verdict: string | null;
  /** The dashboard page (PUBLIC_BASE_URL + /hits/:id, ...). */
  url: string | null;
  hitId: string | null;
  /** For a hit on a planted canary: minutes from its first planting to the hit. */
  minutesAfterPlanting?: number | null;
  /** Set on a digest: what a throttle window merged. */
  digest: AlertDigest | null;
  /** Set on an evidence checkpoint: the signed line, as the checkpoint file holds it. */
  checkpoint?: { v: 1; seq: number; hash: string; at: string; keyFingerprint: string; signature: string };
  test?: boolean;
}

export interface AlertDigest {
  count: number;
  callers: Array<AlertCaller & { hits: number }>;
  hitIds: string[];
  windowStartedAt: string;
  windowEndedAt: string;
}

export interface SendOutcome {
  ok: boolean;
  /** The receiver's HTTP status (or SMTP code), when it answered. */
  status: number | null;
  /** What the receiver answered, short. */
  answer: string;
  error: string | null;
}

export type Sender = (output: AlertOutput, alert: Alert) => Promise<SendOutcome>;
