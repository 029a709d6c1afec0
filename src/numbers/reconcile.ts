// The account against the pool: a number gone from the account is flagged (and never handed out),
// webhook URLs someone changed are put back (and what they were is recorded), and calls and
// messages the webhooks missed are listed and stored like any hit — same dedupe by sid.
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { EvidenceLog } from '../evidence/log.ts';
import type { EventPublisher } from '../alerts/events.ts';
import type { HitIngestor, InboundEvent } from '../hits/ingest.ts';
import { callerNameSent } from '../hits/hit.ts';
import { AppError } from '../errors.ts';
import type { NumberProvider, OwnedNumber, ProviderCall, ProviderMessage, WebhookUrls } from './provider.ts';
import type { CanaryNumber, NumberRepository } from './repository.ts';
import { webhookDrift } from './terms.ts';

/** Listing from a little before the last look: providers file records late, and dedupe makes overlap free. */
const BACKFILL_OVERLAP_MS = 3_600_000;

export interface ReconcileDeps {
  db: Db;
  repo: NumberRepository;
  provider: NumberProvider;
  ingestor: HitIngestor;
  evidence: EvidenceLog;
  clock: () => Date;
  log: Logger;
  webhooks: WebhookUrls;
  publish?: EventPublisher;
}

type Brief = { id: string; phoneNumber: string };

export interface ReconcileReport {
  checkedAt: string;
  onAccount: number;
  held: number;
  missing: Array<Brief & { since: string }>;
  returned: Brief[];
  webhooksFixed: Array<Brief & { was: Record<string, string | null> }>;
  /** Numbers on the account the tracer does not hold: reported, never touched. */
  untracked: string[];
  backfilled: { calls: number; messages: number };
  failures: Array<Brief & { step: 'webhooks' | 'backfill'; error: string }>;
  /** How many of each there were; the lists above hold the first 100. */
  totals: { missing: number; returned: number; webhooksFixed: number; untracked: number; failures: number };
}

/** Where a reconcile is: each held number is checked against the account (reconcile), then backfilled. */
export interface ReconcileProgress {
  stage: 'reconcile' | 'backfill';
  done: number;
  total: number;
}

/**
 * Numbers per batch (and per page asked of the provider): one transaction for the batch's writes,
 * then the event loop gets a turn. 200, not 500: a page of 500 lived long enough for V8 to move it
 * to the old heap, a batch at a time, so start-up memory grew with the pool until a full GC
 * (`DRILL_ONLY=restart npm run drills`: 240 MB at 100,000 held numbers, 180 MB at 200).
 */
const BATCH = 200;
/** Report lists are capped (counts are not): memory must not grow with the pool. */
const REPORT_LIST_CAP = 100;

let runs = 0;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class NumberReconciler {
  private stopped = false;

  constructor(private readonly d: ReconcileDeps) {}

  /** Lets a run in progress end after the batch it is on (the store is about to close). */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Walks the account a page at a time (the provider's paging) and each page's numbers against the
   * store by key: a held number seen gets its webhooks checked and its calls backfilled, and is
   * marked seen in a temporary table; a number the tracer does not hold is counted as untracked.
   * Then the held numbers never seen are flagged missing, paged from the store. Each page's writes
   * commit in one transaction and the loop yields between pages, so webhooks are served while a
   * large pool is reconciled. Memory holds one page, never the pool or the account. onProgress hears
   * each number reconciled (checked, or flagged missing) and each backfilled (for a bar; it must not throw).
   */
  async reconcile(onProgress?: (p: ReconcileProgress) => void): Promise<ReconcileReport> {
    const now = this.d.clock().toISOString();
    const report: ReconcileReport = {
      checkedAt: now, onAccount: 0, held: 0, missing: [], returned: [], webhooksFixed: [],
      untracked: [], backfilled: { calls: 0, messages: 0 }, failures: [],
      totals: { missing: 0, returned: 0, webhooksFixed: 0, untracked: 0, failures: 0 },
    };
    // TEMP: this connection only, spilled to disk by SQLite, gone with the connection; one per run,
    // so a reconcile asked for while the start-up one runs keeps its own.
    const seenTable = `temp.reconcile_seen_${++runs}`;
    this.d.db.exec(`CREATE TABLE ${seenTable} (id TEXT PRIMARY KEY)`);
    const markSeen = this.d.db.prepare(`INSERT OR IGNORE INTO ${seenTable} (id) VALUES (?)`);
    // Counted once for the bar; a number bought meanwhile is still reconciled (done may pass it).
    const total = onProgress ? this.d.repo.heldCount() : 0;
    const told = (stage: ReconcileProgress['stage'], done: number) => onProgress?.({ stage, done, total: Math.max(total, done) });
    let reconciled = 0;
    let backfilled = 0;
    try {
      for await (const accountPage of this.d.provider.ownedPages(BATCH)) {
        if (this.stopped) return report;
        report.onAccount += accountPage.length;
        const writes: Array<() => void> = [];
        // Ids, not closures, for the common case (seen, nothing new): what a batch holds stays small.
        const seen = new Set<string>();
        const quiet: string[] = [];
        for (const account of accountPage) {
          const n = this.d.repo.findBySid(account.providerSid) ?? this.d.repo.findByPhone(account.phoneNumber);
          if (!n) {
            report.totals.untracked++;
            if (report.untracked.length < REPORT_LIST_CAP) report.untracked.push(account.phoneNumber);
            continue;
          }
          if (n.status === 'released' || seen.has(n.id)) continue;
          seen.add(n.id);
          if (n.missingSince) this.clearMissing(n, now, report, writes);
          await this.fixWebhooks(n, account, now, report, writes);
          told('reconcile', ++reconciled);
          await this.backfill(n, now, report, writes, quiet);
          told('backfill', ++backfilled);
        }
        this.d.db.transaction(() => {
          for (const id of seen) markSeen.run(id);
          for (const id of quiet) this.d.repo.setBackfilledUntil(id, now);
          writes.forEach((w) => w());
        })();
        await yieldToLoop();
      }
      // Then the held numbers the account did not show: SQLite sets the seen ones aside, so only
      // the missing are read (none, on a healthy account) — start-up does not read the pool twice.
      report.held = this.d.repo.heldCount();
      for (let after = 0; !this.stopped; ) {
        const page = this.d.repo.heldNotSeenPage(seenTable, after, BATCH);
        if (page.length === 0) break;
        after = page.at(-1)!.rowid;
        const writes: Array<() => void> = [];
        for (const n of page) {
          this.flagMissing(n, now, report, writes);
          told('reconcile', ++reconciled);
          // Nothing to backfill from a number gone from the account: skipped there, still counted on the bar.
          told('backfill', ++backfilled);
        }
        this.d.db.transaction(() => writes.forEach((w) => w()))();
        await yieldToLoop();
      }
    } finally {
      // The store may have closed under a stopped run.
      if (this.d.db.open) this.d.db.exec(`DROP TABLE IF EXISTS ${seenTable}`);
    }
    report.untracked.sort();
    return report;
  }

  private flagMissing(n: CanaryNumber, now: string, report: ReconcileReport, writes: Array<() => void>): void {
    const since = n.missingSince ?? now;
    push(report, 'missing', { id: n.id, phoneNumber: n.phoneNumber, since });
    if (n.missingSince) return;
    writes.push(() => {
      this.d.repo.setMissing(n.id, now);
      this.d.evidence.append(now, 'number-missing', n.id, { phoneNumber: n.phoneNumber, status: n.status, providerSid: n.providerSid });
      this.d.publish?.({ kind: 'number-missing', numberId: n.id, last4: n.phoneNumber.slice(-4) }, now);
    });
    this.d.log.warn({ numberId: n.id }, 'canary number is gone from the provider account');
  }

  private clearMissing(n: CanaryNumber, now: string, report: ReconcileReport, writes: Array<() => void>): void {
    writes.push(() => {
      this.d.repo.setMissing(n.id, null);
      this.d.evidence.append(now, 'number-returned', n.id, { phoneNumber: n.phoneNumber, missingSince: n.missingSince });
    });
    push(report, 'returned', { id: n.id, phoneNumber: n.phoneNumber });
  }

  private async fixWebhooks(n: CanaryNumber, account: OwnedNumber, now: string, report: ReconcileReport, writes: Array<() => void>): Promise<void> {
    const was = webhookDrift(account.webhooks, this.d.webhooks);
    if (Object.keys(was).length === 0) return;
    try {
      await this.d.provider.updateWebhooks(account.providerSid, this.d.webhooks);
    } catch (err) {
      push(report, 'failures', { id: n.id, phoneNumber: n.phoneNumber, step: 'webhooks', error: describe(err) });
      return;
    }
    writes.push(() => this.d.evidence.append(now, 'number-webhooks-fixed', n.id, { phoneNumber: n.phoneNumber, was, now: this.d.webhooks }));
    push(report, 'webhooksFixed', { id: n.id, phoneNumber: n.phoneNumber, was: was as Record<string, string | null> });
  }

  /** Calls and messages to the number since the last look, stored through the same ingest as webhooks. */
  private async backfill(n: CanaryNumber, now: string, report: ReconcileReport, writes: Array<() => void>, quiet: string[]): Promise<void> {
    const cursor = n.backfilledUntil ?? n.createdAt;
    const since = new Date(Date.parse(cursor) - BACKFILL_OVERLAP_MS).toISOString();
    let calls: ProviderCall[];
    let messages: ProviderMessage[];
    try {
      [calls, messages] = await Promise.all([this.d.provider.listCalls(n.phoneNumber, since), this.d.provider.listMessages(n.phoneNumber, since)]);
    } catch (err) {
      push(report, 'failures', { id: n.id, phoneNumber: n.phoneNumber, step: 'backfill', error: describe(err) });
      return;
    }
    const inbound = <T extends { direction: string; to: string }>(r: T) => r.direction === 'inbound' && r.to === n.phoneNumber;
    const callEvents = calls.filter(inbound).map((c) => callEvent(c, now));
    const messageEvents = messages.filter(inbound).map((m) => messageEvent(m, now));
    if (callEvents.length + messageEvents.length === 0) {
      // Nothing new: only the cursor moves, with the rest of the batch.
      quiet.push(n.id);
      return;
    }
    const results = await Promise.all([...callEvents, ...messageEvents].map((e) => this.d.ingestor.ingest(e)));
    const stored = results.filter((r) => !r.duplicate).map((r) => r.hit);
    // A call's outcome as the provider knows it; a status the webhooks already stored adds nothing.
    await Promise.all(
      calls.filter(inbound).map((c) =>
        this.d.ingestor.recordStatus({
          sid: c.sid, status: c.status, sequenceNumber: null, durationSeconds: c.durationSeconds,
          receivedAt: c.startTime ?? now, raw: { ...c.raw, tracerSource: 'backfill' },
        }),
      ),
    );
    const storedCalls = stored.filter((h) => h.kind === 'call').map((h) => h.providerSid);
    const storedMessages = stored.filter((h) => h.kind === 'sms').map((h) => h.providerSid);
    writes.push(() => {
      this.d.repo.setBackfilledUntil(n.id, now);
      if (stored.length > 0) {
        this.d.evidence.append(now, 'hits-backfilled', n.id, { phoneNumber: n.phoneNumber, since, calls: storedCalls, messages: storedMessages });
      }
    });
    report.backfilled.calls += storedCalls.length;
    report.backfilled.messages += storedMessages.length;
  }
}

type ListKey = 'missing' | 'returned' | 'webhooksFixed' | 'failures';

function push<K extends ListKey>(report: ReconcileReport, key: K, item: ReconcileReport[K][number]): void {
  report.totals[key]++;
  if (report[key].length < REPORT_LIST_CAP) (report[key] as Array<typeof item>).push(item);
}

function callEvent(c: ProviderCall, now: string): InboundEvent {
  const raw = { ...c.raw, tracerSource: 'backfill', backfilledAt: now };
  return { kind: 'call', sid: c.sid, from: c.from, to: c.to, callerName: callerNameSent(raw), body: null, receivedAt: c.startTime ?? now, raw };
}

function messageEvent(m: ProviderMessage, now: string): InboundEvent {
  return {
    kind: 'sms', sid: m.sid, from: m.from, to: m.to, callerName: null, body: m.body, receivedAt: m.dateSent ?? now,
    raw: { ...m.raw, tracerSource: 'backfill', backfilledAt: now },
  };
}

const describe = (err: unknown) => (err instanceof AppError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err));
