import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppDeps } from './app.ts';

export interface RunningServer {
  app: App;
  server: Server;
  url: string;
  stop(): Promise<void>;
}

const RETRY_SWEEP_MS = 5_000;
const DRAIN_DELAY_MS = 20;

/**
 * Listens at once, then drains the outbox after each commit and on a timer (for retries and for
 * jobs left by a previous run), reconciles numbers in the background, and anchors the evidence
 * log in a signed checkpoint every EVIDENCE_CHECKPOINT_MINUTES (and at stop). stop() closes the
 * listener, waits for requests in flight, then the store.
 */
export async function startServer(deps: AppDeps): Promise<RunningServer> {
  const app = createApp(deps);
  const { services } = app;
  let stopping = false;
  const drain = () => {
    if (!stopping) services.outbox.drain().catch((err) => services.log.error({ err }, 'outbox drain failed'));
  };
  // Coalesce: under load, one drain pass per DRAIN_DELAY_MS picks up many jobs in one commit.
  let drainTimer: NodeJS.Timeout | null = null;
  services.setDrainTrigger(() => {
    drainTimer ??= setTimeout(() => {
      drainTimer = null;
      drain();
    }, DRAIN_DELAY_MS);
  });
  // Listen first: Twilio fails over if a restart does not answer, so start-up work (outbox left
  // by the last run, the account reconcile, the lifecycle step) runs after, in batches that yield.
  const server = createServer(app.http).listen(deps.config.port, deps.config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const sweepNumbers = () => {
    if (!stopping) services.numberService.sweep().catch((err) => services.log.warn({ err }, 'number lifecycle step failed'));
  };
  const checkpoint = () => {
    try {
      services.evidenceService.checkpoint();
    } catch (err) {
      services.log.error({ err }, 'evidence checkpoint failed');
    }
  };
  const sweep = setInterval(() => {
    drain();
    sweepNumbers();
  }, RETRY_SWEEP_MS);
  sweep.unref();
  const checkpointMs = deps.config.evidence.checkpointMinutes * 60_000;
  const checkpoints = checkpointMs > 0 ? setInterval(checkpoint, checkpointMs).unref() : null;
  setImmediate(() => {
    if (stopping) return;
    drain();
    services.numberService.reconcileInBackground();
    sweepNumbers();
  });
  // The report is kept on its thread (src/attribution/report.ts): fold the stored hits once after
  // start-up work, off the event loop, so a restart's first report is a kept one.
  const warmUpMs = deps.reportWarmUpMs ?? 5_000;
  const warmUp = warmUpMs >= 0 && services.reportThread ? setTimeout(() => {
    if (stopping) return;
    const started = Date.now();
    services.reportThread!.report({ limit: 1 })
      .then(() => services.log.info({ ms: Date.now() - started }, 'report kept: every stored hit folded'))
      .catch((err) => { if (!stopping) services.log.warn({ err: String(err) }, 'report warm-up failed; the first report will fold the hits'); });
  }, warmUpMs).unref() : null;
  server.keepAliveTimeout = 65_000;
  // A body that dribbles in (slowloris) is cut off: Twilio sends a webhook in well under a second.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  const { port } = server.address() as AddressInfo;
  const url = `http://${deps.config.host}:${port}`;
  services.log.info({ url, publicBaseUrl: deps.config.publicBaseUrl, provider: services.provider }, 'canary-tracer listening');

  return {
    app,
    server,
    url,
    async stop() {
      stopping = true;
      if (warmUp) clearTimeout(warmUp);
      clearInterval(sweep);
      if (checkpoints) clearInterval(checkpoints);
      if (drainTimer) clearTimeout(drainTimer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await services.outbox.drain().catch(() => 0);
      if (checkpoints) {
        checkpoint();
        // The stop's checkpoint goes to the alert outputs that take it now, not at the next start.
        await services.outbox.drain().catch(() => 0);
      }
      await app.close();
    },
  };
}

/** SIGTERM/SIGINT: finish what is in flight, then exit. */
export function stopOnSignals(running: RunningServer): void {
  const onSignal = (signal: string) => {
    running.app.services.log.info({ signal }, 'shutting down');
    running
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
