// The numbers area, composed: provider, pool, the service the CLI/API/server use, and the caller
// enrichment job. createApp calls this; nothing here reads the environment.
import type { Config } from '../config.ts';
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { HitIngestor } from '../hits/ingest.ts';
import type { HitRepository } from '../hits/repository.ts';
import type { EventPublisher } from '../alerts/events.ts';
import { CallerLookupRepository } from './caller-lookups.ts';
import { createNumberProvider } from './compose.ts';
import { CallerEnricher } from './enrichment.ts';
import { NumberSpread } from './spread.ts';
import { NumberPool } from './pool.ts';
import type { NumberProvider } from './provider.ts';
import type { NumberRepository } from './repository.ts';
import { NumberService } from './service.ts';
import { SimulatedProvider } from './simulated-provider.ts';
import { purchaseTerms } from './terms.ts';

export interface NumbersDeps {
  config: Config;
  clock: () => Date;
  log: Logger;
  db: Db;
  repo: NumberRepository;
  evidence: EvidenceLog;
  /** A provider built elsewhere (tests aim one at Prism or a fake); default from config. */
  provider?: NumberProvider;
  /** Where number events (missing, release failed, budget near its cap) are published. */
  publish?: EventPublisher;
}

export function composeNumbers(d: NumbersDeps) {
  const provider = d.provider ?? createNumberProvider(d.config, d.repo, d.clock);
  const terms = purchaseTerms(d.config);
  const spread = new NumberSpread((message) => d.log.warn(message));
  const pool = new NumberPool(d.repo, provider instanceof SimulatedProvider ? provider : undefined, terms, spread, () => d.db.inTransaction);
  return {
    provider,
    pool,
    /** The parts that store hits: built once the ingestor exists. */
    withIngest(ingestor: HitIngestor, hits: HitRepository) {
      const numberService = new NumberService({
        db: d.db, repo: d.repo, provider, ingestor, evidence: d.evidence, clock: d.clock, log: d.log,
        publicBaseUrl: d.config.publicBaseUrl, config: d.config.numbers, terms, publish: d.publish,
      });
      const callerEnricher = new CallerEnricher({
        hits, lookups: new CallerLookupRepository(d.db), provider, clock: d.clock, log: d.log,
        dailyBudget: d.config.numbers.lookupDailyBudget, publish: d.publish,
      });
      return { numberService, callerEnricher };
    },
  };
}

export type { NumberProvider } from './provider.ts';
