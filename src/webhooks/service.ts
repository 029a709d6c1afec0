import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { Locale } from '../identities/types.ts';
import type { HitIngestor } from '../hits/ingest.ts';
import type { SecurityEvents } from '../security/events.ts';
import { emptyMessagingResponse, voiceAnswer } from './twiml.ts';

export interface Forgery {
  path: string;
  remoteAddr: string | null;
  reason: 'signature-missing' | 'signature-mismatch' | 'invalid-encoding';
  url: string;
  /** Read only for a kind whose sample is kept (parsing costs, and most forgeries are never sampled). */
  params: () => Record<string, unknown>;
}

export interface WebhookServiceOptions {
  defaultLocale: Locale;
  greeting?: string;
  record: boolean;
  publicBaseUrl: string;
}

/** What the webhook routes do once a request is known to be Twilio's. Plain objects in, TwiML out. */
export class WebhookService {
  private readonly localeStmt;

  constructor(
    db: Db,
    private readonly ingestor: HitIngestor,
    private readonly clock: () => Date,
    private readonly log: Logger,
    private readonly o: WebhookServiceOptions,
    private readonly security: SecurityEvents,
  ) {
    this.localeStmt = db.prepare('SELECT locale FROM canaries WHERE id = ?').pluck();
  }

  async inboundCall(
    p: { CallSid: string; From: string; To: string; CallerName?: string; CallStatus?: string },
    raw: Record<string, unknown>,
  ): Promise<string> {
    const receivedAt = this.clock().toISOString();
    const { hit } = await this.ingestor.ingest({
      kind: 'call', sid: p.CallSid, from: p.From, to: p.To, callerName: p.CallerName ?? null, body: null, receivedAt,
      callStatus: p.CallStatus ?? null, raw,
    });
    const locale = (hit.canaryId && (this.localeStmt.get(hit.canaryId) as Locale | undefined)) || this.o.defaultLocale;
    return voiceAnswer({
      locale,
      greeting: this.o.greeting,
      record: this.o.record,
      recordingStatusCallback: `${this.o.publicBaseUrl}/twilio/status`,
    });
  }

  async inboundSms(p: { MessageSid: string; From: string; To: string; Body: string }, raw: Record<string, unknown>): Promise<string> {
    await this.ingestor.ingest({
      kind: 'sms', sid: p.MessageSid, from: p.From, to: p.To, callerName: null, body: p.Body, receivedAt: this.clock().toISOString(), raw,
    });
    return emptyMessagingResponse();
  }

  async statusCallback(
    p: { CallSid: string; CallStatus?: string; CallDuration?: number; SequenceNumber?: number; RecordingStatus?: string },
    raw: Record<string, unknown>,
  ): Promise<void> {
    const status = p.RecordingStatus ? `recording:${p.RecordingStatus}` : (p.CallStatus ?? 'unknown');
    await this.ingestor.recordStatus({
      sid: p.CallSid, status, sequenceNumber: p.SequenceNumber ?? null, durationSeconds: p.CallDuration ?? null,
      receivedAt: this.clock().toISOString(), raw,
    });
  }

  /** Counted in memory and written in aggregate (src/security/events.ts): no write per forgery. */
  recordForgery(f: Forgery): void {
    this.security.record({
      kind: 'webhook-forgery', path: f.path, source: f.remoteAddr, reason: f.reason,
      detail: () => ({ url: f.url, params: f.params() }),
    });
  }
}
