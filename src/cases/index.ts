import type { Db } from '../store/db.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { ReportSource } from './report-data.ts';
import { RegistryAudit } from '../access/tokens.ts';
import { loadOrCreateInstanceKey, type InstanceKey } from '../keys/instance-key.ts';
import { instanceKeyPath } from '../keys/rotate.ts';
import { CaseService, type Actor } from './service.ts';
import { CaseReports } from './reports.ts';
import { exportBundle, type BundleOptions } from './bundle/export.ts';
import type { BundleIo } from './bundle/sink.ts';

export type { Actor } from './service.ts';

/** Cases, their reports and bundles, built once by the composition root. The key is read when first needed. */
export function composeCases(d: { db: Db; evidence: EvidenceLog; clock: () => Date; tracerDb: string; keyFile?: string; report: ReportSource; bundleIo?: BundleIo; chromiumPath?: string }) {
  let key: InstanceKey | null = null;
  // The instance key of config (INSTANCE_KEY_FILE) — the one evidence checkpoints are signed with.
  const keyFile = d.keyFile ?? instanceKeyPath(d.tracerDb);
  const instanceKey = () => (key ??= loadOrCreateInstanceKey(keyFile));
  const cases = new CaseService({ db: d.db, evidence: d.evidence, audit: new RegistryAudit(d.db, d.clock), clock: d.clock });
  const caseReports = new CaseReports({ db: d.db, cases, report: d.report, clock: d.clock, key: instanceKey, chromiumPath: d.chromiumPath });
  return {
    cases,
    caseReports,
    instanceKey,
    instanceKeyFile: keyFile,
    exportBundle: (caseId: string, out: string, who: Actor, o?: BundleOptions) =>
      exportBundle({ db: d.db, cases, reports: caseReports, key: instanceKey, clock: d.clock, io: d.bundleIo }, caseId, out, who, o),
  };
}
