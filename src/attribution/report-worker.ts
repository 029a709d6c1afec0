// The report's own thread: decoding a million hits takes a second of CPU, and the thread that
// answers Twilio's webhooks must not wait on it. It reads the store through its own read-only
// connection (WAL lets it read beside the writer) and keeps its own decode cache.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { AttributionReports, type ReportQuery } from './report.ts';
import { proposeGroupings } from '../parties/proposals.ts';
import { verifyEvidence, type VerifyOptions } from '../evidence/verify.ts';

interface Ask {
  id: number;
  nowMs: number;
  query?: ReportQuery;
  rebuild?: boolean;
  /** Party proposals over numbers in none of these parties (a full pass over the hits: off the webhooks' thread too). */
  propose?: { grouped: string[] };
  /** A full evidence verification (src/evidence/verify.ts), in one read transaction of this connection. */
  verify?: VerifyOptions;
}

const db = new Database(workerData.dbFile as string, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
let now = Date.now();
const reports = new AttributionReports(db, () => new Date(now), workerData.options ?? {});

parentPort!.on('message', (ask: Ask) => {
  try {
    now = ask.nowMs;
    if (ask.verify) parentPort!.postMessage({ id: ask.id, verified: verifyEvidence(db, ask.verify) });
    else if (ask.propose) parentPort!.postMessage({ id: ask.id, proposals: proposeGroupings(db, new Set(ask.propose.grouped)) });
    else {
      if (ask.rebuild) reports.rebuild();
      parentPort!.postMessage({ id: ask.id, report: reports.report(ask.query ?? {}) });
    }
  } catch (err) {
    const e = err as Error & { code?: string; status?: number };
    parentPort!.postMessage({ id: ask.id, error: { message: e.message, code: e.code, status: e.status } });
  }
});
parentPort!.postMessage({ ready: true });
