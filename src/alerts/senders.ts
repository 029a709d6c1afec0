// Sending one alert to one output. HTTP outputs go through the one outbound client (address
// checks, timeouts, size cap); e-mail through SMTP; SMS through Twilio's Messages API or the
// simulated provider. A sender never throws: it says what the receiver answered.
import { createHmac } from 'node:crypto';
import type twilio from 'twilio';
import type { OutboundClient } from '../outbound/client.ts';
import { sendEmail, type Mailer } from './email.ts';
import { discordMessage, googleChatMessage, slackMessage, smsText, teamsMessage, webhookBody } from './formats.ts';
import type { Alert, AlertOutput, OutputKind, SendOutcome, Sender } from './types.ts';

/** Hex HMAC-SHA256 of `timestamp + "." + body`: what X-Tracer-Signature carries. */
export const signWebhook = (secret: string, timestamp: string, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export interface SmsSender {
  send(to: string, body: string): Promise<{ sid: string; status: string }>;
}

/** Twilio's Messages API through the SDK (aimed at Prism in tests by TWILIO_API_OVERRIDE). */
export function twilioSms(client: twilio.Twilio, from: string): SmsSender {
  return {
    async send(to, body) {
      const sender = from.startsWith('MG') ? { messagingServiceSid: from } : { from };
      const m = await client.messages.create({ to, body, ...sender });
      return { sid: m.sid, status: m.status };
    },
  };
}

export interface SenderDeps {
  http: OutboundClient;
  clock: () => Date;
  mailer: Mailer | null;
  mailFrom: string;
  sms: SmsSender | null;
}

const answerOf = (body: string, truncated: boolean) => (truncated ? `${body}…` : body).slice(0, 300);

async function post(http: OutboundClient, url: string, payload: string, headers: Record<string, string> = {}): Promise<SendOutcome> {
  try {
    const res = await http.send({
      method: 'POST', url, body: payload,
      headers: { 'content-type': 'application/json', 'user-agent': 'canary-tracer-alerts', ...headers },
    });
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, answer: answerOf(res.body, res.truncated), error: ok ? null : `the receiver answered ${res.status}` };
  } catch (err) {
    return { ok: false, status: null, answer: '', error: describe(err) };
  }
}

/** Errors may quote the URL; outputs' URLs are secrets (Slack's and Teams' carry their key), so they are cut out. */
function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const text = [e.code, e.message, e.cause?.code ?? e.cause?.message].filter(Boolean).join(': ');
  return text.replace(/https?:\/\/\S+/g, '<url>').slice(0, 300) || String(err);
}

export function createSender(d: SenderDeps): Sender {
  const byKind: Record<OutputKind, (o: AlertOutput, a: Alert) => Promise<SendOutcome>> = {
    webhook: (o, a) => {
      const body = JSON.stringify(webhookBody(a));
      const timestamp = String(Math.floor(d.clock().getTime() / 1000));
      return post(d.http, o.url!, body, {
        'X-Tracer-Timestamp': timestamp,
        'X-Tracer-Signature': signWebhook(o.secret!, timestamp, body),
        'X-Tracer-Delivery': a.id,
      });
    },
    slack: (o, a) => post(d.http, o.url!, JSON.stringify(slackMessage(a))),
    teams: (o, a) => post(d.http, o.url!, JSON.stringify(teamsMessage(a))),
    discord: (o, a) => post(d.http, o.url!, JSON.stringify(discordMessage(a))),
    'google-chat': (o, a) => post(d.http, o.url!, JSON.stringify(googleChatMessage(a)), { 'content-type': 'application/json; charset=UTF-8' }),
    email: (o, a) => (d.mailer ? sendEmail(d.mailer, d.mailFrom, o, a) : Promise.resolve(notConfigured('SMTP_HOST is not set'))),
    sms: async (o, a) => {
      if (!d.sms) return notConfigured('ALERT_SMS_FROM is not set');
      try {
        const m = await d.sms.send(o.recipient!, smsText(a));
        return { ok: true, status: 201, answer: `${m.sid} ${m.status}`, error: null };
      } catch (err) {
        const e = err as { status?: number; code?: number };
        return { ok: false, status: e.status ?? null, answer: e.code ? `Twilio error ${e.code}` : '', error: describe(err) };
      }
    },
  };
  return (o, a) => byKind[o.kind](o, a);
}

const notConfigured = (why: string): SendOutcome => ({ ok: false, status: null, answer: '', error: `not configured: ${why}` });
