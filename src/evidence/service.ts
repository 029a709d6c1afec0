// What the CLI, the API and the server do with the evidence log: read it (filtered, paged),
// check the chain incrementally, verify everything, and anchor the head in a signed checkpoint.
import { AppError } from '../errors.ts';
import { loadOrCreateInstanceKey, type InstanceKey } from '../keys/instance-key.ts';
import { appendCheckpoint, lastCheckpoint, readCheckpoints, signCheckpoint, type Checkpoint } from './checkpoints.ts';
import type { EvidenceEntry, EvidenceFilter, EvidenceLog } from './log.ts';
import type { VerifyOptions, VerifyReport } from './verify.ts';
import type { EventPublisher } from '../alerts/events.ts';

export interface EvidenceServiceDeps {
  log: EvidenceLog;
  clock: () => Date;
  keyFile: string;
  checkpointFile: string;
  /** Sends each new checkpoint to the alert outputs that take it (an anchor outside the instance). */
  publish?: EventPublisher;
  /** Full verification off the webhooks' thread (a worker with its own read-only connection), where the store is a file. */
  verifyOffThread?: (o: VerifyOptions) => Promise<VerifyReport>;
}

export class EvidenceService {
  private key: InstanceKey | undefined;
  /** The dashboard's last full verification, by the log head it verified (recentVerification). */
  private recent: { seq: number; hash: string; at: number; report: Promise<VerifyReport & { checkpointFiles: string[]; verifiedAt: string }> } | null = null;

  constructor(private readonly d: EvidenceServiceDeps) {}

  /** The instance key, created on first use. */
  instanceKey(): InstanceKey {
    this.key ??= loadOrCreateInstanceKey(this.d.keyFile);
    return this.key;
  }

  get checkpointFile(): string {
    return this.d.checkpointFile;
  }

  /** One page, oldest first; `nextAfter` is the seq to continue after, null at the end. */
  page(filter: EvidenceFilter & { limit: number }): { entries: EvidenceEntry[]; nextAfter: number | null } {
    const rows = this.d.log.list({ ...filter, limit: filter.limit + 1 });
    const entries = rows.slice(0, filter.limit);
    return { entries, nextAfter: rows.length > filter.limit ? entries.at(-1)!.seq : null };
  }

  chain() {
    return this.d.log.checkChain(this.d.clock().toISOString());
  }

  /** Everything: chain, facts, and the checkpoints in the configured file plus any files given (here: the CLI's own process). */
  verify(extraCheckpointFiles: string[] = []): VerifyReport & { checkpointFiles: string[] } {
    const { files, options } = this.verifyOptions(extraCheckpointFiles);
    return { ...this.d.log.verify(options), checkpointFiles: files };
  }

  /** The same, as the server gives it (API, dashboard): computed off the thread that answers Twilio. */
  async verifyOffThread(extraCheckpointFiles: string[] = []): Promise<VerifyReport & { checkpointFiles: string[] }> {
    const { files, options } = this.verifyOptions(extraCheckpointFiles);
    const report = this.d.verifyOffThread ? await this.d.verifyOffThread(options) : this.d.log.verify(options);
    return { ...report, checkpointFiles: files };
  }

  /**
   * A full verification at most `maxAgeMs` old, of the log as it now ends (the dashboard's evidence
   * page): paging through the log does not read the whole store again on every page (about 30 s at a
   * million hits), and views at once share one run. A new entry, or the age, makes a new one. What it
   * reports is the time it verified (`verifiedAt`), so the page says how fresh its verdict is.
   */
  async recentVerification(maxAgeMs = 60_000): Promise<VerifyReport & { checkpointFiles: string[]; verifiedAt: string }> {
    const head = this.d.log.head();
    const now = this.d.clock().getTime();
    const kept = this.recent;
    if (kept && kept.seq === head.seq && kept.hash === head.hash && now - kept.at < maxAgeMs) return kept.report;
    const at = new Date(now).toISOString();
    const report = this.verifyOffThread().then((r) => ({ ...r, verifiedAt: at }));
    this.recent = { seq: head.seq, hash: head.hash, at: now, report };
    // A run that failed is not kept: the next view tries again.
    report.catch(() => { if (this.recent?.report === report) this.recent = null; });
    return report;
  }

  private verifyOptions(extraCheckpointFiles: string[]): { files: string[]; options: VerifyOptions } {
    const files = [this.d.checkpointFile, ...extraCheckpointFiles];
    const checkpoints: Checkpoint[] = [];
    for (const f of files) {
      try {
        checkpoints.push(...readCheckpoints(f));
      } catch (err) {
        throw new AppError('invalid-checkpoints', (err as Error).message, 400);
      }
    }
    return { files, options: { checkpoints, publicKeyPem: this.instanceKey().publicKeyPem } };
  }

  /** Signs the head and appends it to the checkpoint file (skipped when the head is already anchored, unless forced). */
  checkpoint(o: { force?: boolean } = {}): { checkpoint: Checkpoint; written: boolean; file: string } {
    const head = this.d.log.head();
    const last = lastCheckpoint(this.d.checkpointFile);
    if (!o.force && last && last.seq === head.seq && last.hash === head.hash) return { checkpoint: last, written: false, file: this.d.checkpointFile };
    const c = signCheckpoint(this.instanceKey(), head, this.d.clock().toISOString());
    appendCheckpoint(this.d.checkpointFile, c);
    // After the file: the outbox row is the copy that leaves the machine, sent by the server's drain.
    this.d.publish?.({ kind: 'evidence-checkpoint', checkpoint: c }, c.at);
    return { checkpoint: c, written: true, file: this.d.checkpointFile };
  }
}
