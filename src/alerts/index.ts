// The alerts area, composed: outputs, the switchboard (events → notifications, throttle), delivery
// from the outbox, the one outbound HTTP client, SMTP and SMS. createApp calls this once.
import type { Config } from '../config.ts';
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { NumberProvider } from '../numbers/provider.ts';
import { SimulatedProvider } from '../numbers/simulated-provider.ts';
import { createTwilioClient } from '../numbers/twilio/client.ts';
import { OutboundClient } from '../outbound/client.ts';
import { OutboundPolicy, systemResolver, type Resolver } from '../outbound/policy.ts';
import { AlertFacts } from './compose.ts';
import { AlertDelivery } from './delivery.ts';
import { AlertDispatcher, DELIVER_JOB, DIGEST_JOB } from './dispatch.ts';
import { createMailer } from './email.ts';
import { EVENT_JOB } from './events.ts';
import { AlertRepository } from './repository.ts';
import { createSender, twilioSms, type SmsSender } from './senders.ts';
import { AlertService } from './service.ts';

/** Test seams: a DNS resolver without the network, an SMS sender aimed at Prism. */
export interface AlertOverrides {
  resolver?: Resolver;
  sms?: SmsSender;
}

export interface AlertsDeps {
  config: Config;
  db: Db;
  outbox: Outbox;
  clock: () => Date;
  log: Logger;
  numberProvider: NumberProvider;
  /** Channel verdicts now: for the moment the report (attribution will give a lighter call). */
  report: () => Promise<{ channels: Array<{ channelId: string; verdict: string }> }>;
  overrides?: AlertOverrides;
}

/**
 * Verdicts are read again only when a hit was stored since the last read (so an alert's verdict
 * includes its own hit), and at most every 5 s otherwise (plantings change too): a batch of events
 * shares one report.
 */
function cachedVerdicts(db: Db, report: AlertsDeps['report'], clock: () => Date) {
  const mark = db.prepare('SELECT max(rowid) FROM hits').pluck();
  let at = -Infinity;
  let seen: unknown = undefined;
  let map = new Map<string, string>();
  return async () => {
    const now = clock().getTime();
    const latest = mark.get();
    if (latest !== seen || Math.abs(now - at) >= 5_000) {
      map = new Map((await report()).channels.map((c) => [c.channelId, c.verdict]));
      at = now;
      seen = latest;
    }
    return map;
  };
}

function smsSender(d: AlertsDeps): SmsSender | null {
  if (d.overrides?.sms) return d.overrides.sms;
  const from = d.config.alerts.smsFrom;
  if (d.numberProvider instanceof SimulatedProvider) {
    const sim = d.numberProvider;
    return { send: async (to, body) => sim.sendMessage({ from: from ?? '+15005550006', to, body }) };
  }
  if (!from || !d.config.twilioAccountSid) return null;
  const client = createTwilioClient({ accountSid: d.config.twilioAccountSid, authToken: d.config.twilioAuthToken, apiOverride: d.config.numbers.apiOverride });
  return twilioSms(client, from);
}

export function composeAlerts(d: AlertsDeps) {
  const a = d.config.alerts;
  const repo = new AlertRepository(d.db);
  const policy = new OutboundPolicy(a.allowlist, d.overrides?.resolver ?? systemResolver);
  const http = new OutboundClient({ policy, timeoutMs: a.timeoutMs, maxResponseBytes: a.maxResponseBytes });
  const mailer = a.smtp ? createMailer(a.smtp) : null;
  const send = createSender({ http, clock: d.clock, mailer, mailFrom: a.smtp?.from ?? '', sms: smsSender(d) });
  const dispatcher = new AlertDispatcher({
    repo, facts: new AlertFacts(d.db), outbox: d.outbox, clock: d.clock, log: d.log, baseUrl: d.config.publicBaseUrl,
    verdicts: cachedVerdicts(d.db, d.report, d.clock), defaultThrottleMinutes: a.throttleMinutes,
  });
  const delivery = new AlertDelivery({
    repo, outbox: d.outbox, send, clock: d.clock, log: d.log,
    disableAfterFailures: a.disableAfterFailures, retryBaseMs: a.retryBaseMs, retryMaxMs: a.retryMaxMs,
  });
  d.outbox.register(EVENT_JOB, dispatcher.handleEvent);
  d.outbox.register(DIGEST_JOB, dispatcher.handleDigest);
  d.outbox.register(DELIVER_JOB, delivery.handleDeliver);
  const service = new AlertService({
    db: d.db, repo, delivery, send, policy, clock: d.clock, baseUrl: d.config.publicBaseUrl, disableAfterFailures: a.disableAfterFailures,
  });
  return Object.assign(service, {
    async close() {
      mailer?.close();
      await http.close();
    },
  });
}

export type Alerts = ReturnType<typeof composeAlerts>;
