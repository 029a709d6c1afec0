import express from 'express';
import type { RequestListener } from 'node:http';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { openTracerDb, type Db } from './store/db.ts';
import { ChannelRepository, ChannelService } from './channels/channels.ts';
import { CanaryRepository } from './canaries/repository.ts';
import { CanaryService } from './canaries/service.ts';
import { EvidenceLog } from './evidence/log.ts';
import { EvidenceService } from './evidence/service.ts';
import type { VerifyOptions } from './evidence/verify.ts';
import { PartyService } from './parties/service.ts';
import { PartyProposalSchedule } from './parties/auto-propose.ts';
import { Outbox } from './outbox/outbox.ts';
import { eventPublisher } from './alerts/events.ts';
import { composeAlerts, type AlertOverrides } from './alerts/index.ts';
import { HitRepository } from './hits/repository.ts';
import { HitIngestor } from './hits/ingest.ts';
import { NumberRepository } from './numbers/repository.ts';
import { composeNumbers, type NumberProvider } from './numbers/index.ts';
import type { CallerEnricher } from './numbers/enrichment.ts';
import { campaignCost, provisioningCost } from './numbers/cost.ts';
import type { NumberType } from './numbers/provider.ts';
import { TargetRegistry, type PlantingTarget } from './planting/target.ts';
import { createTarget } from './planting/factory.ts';
import { PlantingPipeline } from './planting/pipeline.ts';
import { CampaignService } from './campaigns/service.ts';
import { PlantingRepository } from './planting/repository.ts';
import { PlantingService } from './planting/service.ts';
import { dryRunCreation } from './planting/dry-run.ts';
import { ProfileService } from './planting/profile/service.ts';
import type { CreateCanariesInput } from './canaries/service.ts';
import { openUtilityDb, SampleUtilityTarget } from './utility-sample/sample-target.ts';
import { fillSampleUtility } from './utility-sample/fill.ts';
import { createIdentityGenerator, type IdentityGenerator } from './identities/index.ts';
import type { Locale } from './identities/types.ts';
import { WebhookService } from './webhooks/service.ts';
import { SecurityEvents } from './security/events.ts';
import { SecurityEventRepository } from './security/repository.ts';
import { webhookHandler } from './webhooks/handler.ts';
import { RegistryAudit, TokenService } from './access/tokens.ts';
import { AttributionReports, type ReportQuery } from './attribution/report.ts';
import { ReportThread } from './attribution/report-thread.ts';
import { VerdictWatch } from './attribution/verdict-watch.ts';
import { publishEvent } from './alerts/events.ts';
import { apiRouter } from './api/router.ts';
import { errorHandler, notFoundHandler } from './api/errors.ts';
import { requestLog } from './api/request-log.ts';
import { refuseMalformedUrl } from './text/unicode.ts';
import { dashboardRouter } from './dashboard/index.ts';
import { composeCases } from './cases/index.ts';

export interface AppDeps {
  config: Config;
  clock?: () => Date;
  logger?: Logger;
  /** Extra or replacement planting targets (tests use failing ones). */
  targets?: PlantingTarget[];
  /** A number provider built elsewhere (tests aim Twilio's SDK at Prism or a fake); default from config. */
  numberProvider?: NumberProvider;
  /** Alerts' test seams: a DNS resolver, an SMS sender. */
  alerts?: AlertOverrides;
  /**
   * How long after start-up the report thread folds every stored hit (a report nobody asked for), so
   * the first report a user asks for is a kept one, not a cold one (7–8 s at 1M hits). Default 5 s;
   * negative: never.
   */
  reportWarmUpMs?: number;
}

export type Services = ReturnType<typeof buildServices>;

function buildServices(config: Config, clock: () => Date, log: Logger, db: Db, extraTargets: PlantingTarget[], numberProvider?: NumberProvider, alertOverrides?: AlertOverrides) {
  const evidence = new EvidenceLog(db);
  const outbox = new Outbox(db, clock, log);
  // Its own thread, not the report's: a full verification at a million hits must not hold up reports either.
  const evidenceThread = config.tracerDb === ':memory:' ? null : new ReportThread(config.tracerDb, clock);
  const evidenceService = new EvidenceService({
    log: evidence, clock, keyFile: config.evidence.keyFile, checkpointFile: config.evidence.checkpointFile, publish: eventPublisher(outbox),
    ...(evidenceThread ? { verifyOffThread: (o: VerifyOptions) => evidenceThread.verify(o) } : {}),
  });
  const numbers = new NumberRepository(db);
  const canaryRepo = new CanaryRepository(db);
  const channelRepo = new ChannelRepository(db);
  const hits = new HitRepository(db);
  const targets = new TargetRegistry();
  const utilityDb = openUtilityDb(config.utilityDb);
  fillSampleUtility(utilityDb, config.utilitySampleCustomers, config.defaultLocale, { now: clock() });
  targets.register(new SampleUtilityTarget(utilityDb, clock));
  for (const t of config.targets) targets.register(createTarget(t, { clock }));
  for (const t of extraTargets) targets.register(t);

  const generators = new Map<Locale, IdentityGenerator>();
  const generatorFor = (locale: Locale) => {
    if (!generators.has(locale)) generators.set(locale, createIdentityGenerator({ locale, now: clock }));
    return generators.get(locale)!;
  };
  const numberKit = composeNumbers({ config, clock, log, db, repo: numbers, evidence, provider: numberProvider, publish: eventPublisher(outbox) });
  const { pool } = numberKit;
  const profiles = new ProfileService({ db, targets, evidence, clock, log, onPhoneSpread: (country, shares) => pool.spread.setGoal(country, shares) });
  profiles.applyStored();
  const provider = numberKit.provider.name;
  let drainSoon: () => void = () => {};
  const attribution = new AttributionReports(db, clock);
  const reportThread = config.tracerDb === ':memory:' ? null : new ReportThread(config.tracerDb, clock);
  const verdictWatch = new VerdictWatch(db, outbox, clock, (q) =>
    reportThread ? reportThread.report(q) : Promise.resolve(attribution.report(q)));
  const ingestor = new HitIngestor(db, hits, evidence, outbox, () => drainSoon());
  const { numberService, callerEnricher } = numberKit.withIngest(ingestor, hits);
  const pipeline = new PlantingPipeline({
    db, canaries: canaryRepo, pool, targets, evidence, generatorFor, clock, log,
    retireNumberOfCanary: (canaryId) => numberService.lifecycle.retireNumberOfCanary(canaryId),
  });
  const securityEvents = new SecurityEvents(new SecurityEventRepository(db), outbox, clock, log);
  ingestor.useCallerCache(callerEnricher.cachedWrite);
  /** The same report computed off the event loop (the API's): webhooks never wait on a decode. */
  const reportOffThread = async (q: ReportQuery = {}, o: { rebuild?: boolean } = {}) => {
    if (reportThread) return reportThread.report(q, o);
    if (o.rebuild) attribution.rebuild();
    return attribution.report(q);
  };
  const proposals = new PartyProposalSchedule(db, outbox, clock);
  ingestor.onNewHits(() => proposals.afterNewHits());
  const canaryService = new CanaryService({ canaries: canaryRepo, channels: channelRepo, targets, pipeline, defaultLocale: config.defaultLocale });
  const services = {
    config, clock, log, db, evidence, evidenceService, outbox, numbers, hits, ingestor, targets, pool, provider, profiles,
    numberProvider: numberKit.provider, numberService, numberLifecycle: numberService.lifecycle, callerEnricher,
    channels: new ChannelService(channelRepo, clock, () => targets.names(), {
      // The change and its evidence entry commit together.
      record: (at, kind, id, payload, write) => db.transaction(() => (write(), evidence.append(at, kind, id, payload)))(),
    }),
    pipeline,
    canaries: canaryService,
    campaigns: new CampaignService({
      db, canaryService, canaries: canaryRepo, pipeline, outbox, evidence, attribution, clock, defaultLocale: config.defaultLocale,
    }),
    plantings: new PlantingService({
      db, plantings: new PlantingRepository(db), canaries: canaryRepo, channels: channelRepo, targets, evidence, clock, log,
      onCanaryWithdrawn: (canaryId) => numberService.lifecycle.retireNumberOfCanary(canaryId),
    }),
    /** What creating these canaries would write, writing nothing. */
    dryRun: (input: CreateCanariesInput) => dryRunCreation({
      channels: channelRepo, targets, generatorFor, defaultLocale: config.defaultLocale,
      batched: (c) => c.every((ch) => typeof targets.get(ch.target)?.plantBatch === 'function'),
    }, input),
    securityEvents,
    webhooks: new WebhookService(db, ingestor, clock, log, {
      defaultLocale: config.defaultLocale, greeting: config.voiceGreeting, record: config.voiceRecord,
      publicBaseUrl: config.publicBaseUrl,
    }, securityEvents),
    /** What numbers would cost a month, asked before a provisioning or campaign over the threshold. */
    costs: {
      threshold: config.numbers.costConfirmThreshold,
      provisioning: (country: string, type: NumberType, count: number) => provisioningCost(numberKit.provider, country, type, count),
      campaign: (locale: Locale | undefined, count: number) =>
        campaignCost(numberKit.provider, (locale ?? config.defaultLocale).split('-')[1]!, count),
    },
    tokens: new TokenService(db, clock),
    audit: new RegistryAudit(db, clock),
    attribution,
    // A grouping the tracer proposes is news for alerts, published in the transaction that stores it.
    // Proposals run by themselves after new hits (src/parties/auto-propose.ts), and on demand.
    parties: new PartyService(db, evidence, clock, (p) =>
      publishEvent(outbox, { kind: 'party-appeared', partyId: p.id, callerNumber: p.numbers[0]!, name: p.name }, clock().toISOString())),
    report: (q: ReportQuery = {}) => attribution.report(q),
    reportOffThread,
    reportThread,
    evidenceThread,
    proposals,
    alerts: composeAlerts({
      config, db, outbox, clock, log, numberProvider: numberKit.provider, overrides: alertOverrides,
      // Verdicts off the event loop; a verdict that changed is published as an event (src/attribution/verdict-watch.ts).
      report: () => verdictWatch.refresh(),
    }),
    // Case reports and bundles read the attribution report off the event loop too: a case with many channels never stalls the webhooks.
    ...composeCases({ db, evidence, clock, tracerDb: config.tracerDb, keyFile: config.evidence.keyFile, report: (q) => reportOffThread(q) }),
    /** Set by the server: start draining the outbox after a commit, off the request path. */
    setDrainTrigger(fn: () => void) {
      drainSoon = fn;
    },
  };
  registerJobs(services);
  return services;
}

/** Follow-up jobs the outbox runs after a hit is stored. */
function registerJobs(s: { outbox: Outbox; callerEnricher: CallerEnricher; campaigns: CampaignService; proposals: PartyProposalSchedule; parties: PartyService; reportThread: ReportThread | null }) {
  // A staggered design's later exposures, planted when due.
  s.outbox.register('campaign-plant-due', (payload) => s.campaigns.plantDue(payload));
  // A canary whose first ticket waits for its shift to come on duty, created then.
  s.outbox.register('campaign-canary-due', (payload) => s.campaigns.plantCanaryDue(payload));
  // Caller look-up (cached per caller, within LOOKUP_DAILY_BUDGET): see src/numbers/enrichment.ts.
  s.outbox.register('enrich-caller', s.callerEnricher.enrichCaller);
  // Party proposals, debounced after new hits.
  s.proposals.register(s.parties, s.reportThread);
}

export interface App {
  /** The whole HTTP surface as one node:http listener: webhooks on their own fast path, the rest on express. */
  http: RequestListener;
  services: Services;
  close(): Promise<void>;
}

/** The composition root: everything the tracer is, built from config. Opens, never listens. */
export function createApp(deps: AppDeps): App {
  const clock = deps.clock ?? (() => new Date());
  const log = deps.logger ?? createLogger(deps.config.logLevel);
  const db = openTracerDb(deps.config.tracerDb);
  const services = buildServices(deps.config, clock, log, db, deps.targets ?? [], deps.numberProvider, deps.alerts);

  const api = express();
  api.disable('x-powered-by');
  api.set('etag', false);
  api.set('trust proxy', 'loopback');
  api.use(requestLog(log));
  api.use(refuseMalformedUrl);
  api.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  api.use('/api/v1', apiRouter(services));
  api.use(dashboardRouter(services));
  api.use(notFoundHandler);
  api.use(errorHandler(log));

  const webhooks = webhookHandler(services.webhooks, {
    authToken: deps.config.twilioAuthToken,
    publicBaseUrl: deps.config.publicBaseUrl,
    log,
  });
  const http: RequestListener = (req, res) => {
    if (req.url?.startsWith('/twilio/')) void webhooks(req, res);
    else api(req, res);
  };

  return {
    http,
    services,
    async close() {
      await services.reportThread?.close();
      await services.evidenceThread?.close();
      await services.numberService.close();
      await services.alerts.close();
      services.securityEvents.close();
      await services.targets.closeAll();
      db.close();
    },
  };
}
