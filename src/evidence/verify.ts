// Full verification: the chain, every fact re-derived from its table, and the checkpoints given.
// Streaming: fact rows and log entries are walked side by side in insert order, so memory does not
// grow with the log. The first problem of each check is named; later ones are counted up to a cap.
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { entryHash, GENESIS_HASH, type EvidenceRow } from './chain.ts';
import { checkpointSignedBy, type Checkpoint } from './checkpoints.ts';
import { BOUND_TABLES, factHash, type FactTableName } from './facts.ts';
import { verifyBound } from './verify-bound.ts';
import { derivedHitCheck } from './verify-derived.ts';
import { verifyPlantings } from './verify-plantings.ts';

export type ProblemCheck = 'chain' | 'data' | 'derived' | 'presence' | 'order' | 'missing-at-end' | 'checkpoint';

export interface Problem {
  check: ProblemCheck;
  message: string;
  seq?: number;
  table?: string;
  rowId?: string;
}

export interface VerifyOptions {
  checkpoints?: Checkpoint[];
  /** The instance's public key (SPKI PEM): checkpoints are trusted only when signed by it. */
  publicKeyPem?: string;
  maxProblems?: number;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  headSeq: number;
  headHash: string;
  /** Rows checked per fact table. */
  facts: Record<string, number>;
  /**
   * Rows that predate binding, per table: bound as found when the store was upgraded, so any change
   * since is caught, but what happened to them before cannot be proven. Zero on stores made since.
   */
  unproven: Record<string, number>;
  checkpoints: { given: number; matched: number };
  firstProblem: Problem | null;
  problems: Problem[];
  /** The first entry whose chain does not verify (kept for callers of the old shape). */
  brokenAt?: number;
}

export class Problems {
  readonly list: Problem[] = [];
  constructor(private readonly max: number) {}
  add(p: Problem): void {
    if (this.list.length < this.max) this.list.push(p);
  }
  get full(): boolean {
    return this.list.length >= this.max;
  }
}

export function verifyEvidence(db: Db, o: VerifyOptions = {}): VerifyReport {
  // One read transaction: every table is read as of one moment, so a hit or a status callback the
  // server stores meanwhile (another process) cannot show as a row without its entry, or as a call
  // whose status its events do not give yet.
  return db.transaction(() => verifyAt(db, o))();
}

function verifyAt(db: Db, o: VerifyOptions): VerifyReport {
  const problems = new Problems(o.maxProblems ?? 100);
  const chain = walkChain(db, problems);
  const aside: Aside = { derived: [], taintedCalls: new Set(), callsUnchecked: false };
  const facts: Record<string, number> = {
    hits: verifyAppendOnly(db, problems, HITS, aside),
    call_status_events: verifyAppendOnly(db, problems, STATUS_EVENTS, aside),
    plantings: verifyPlantings(db, problems),
  };
  const unproven: Record<string, number> = {};
  for (const table of BOUND_TABLES) {
    const r = verifyBound(db, problems, table);
    facts[table] = r.checked;
    if (r.unproven > 0) unproven[table] = r.unproven;
  }
  // A hit's shown status follows from its status events: where an event itself was edited, removed
  // or forged, that is the problem named, and the hit showing the status the tracer stored is not another.
  for (const d of aside.derived) if (!aside.callsUnchecked && !aside.taintedCalls.has(d.sid)) problems.add(d.problem);
  const matched = checkCheckpoints(db, problems, chain.head, o);
  const list = problems.list;
  const brokenAt = list.find((p) => p.check === 'chain')?.seq;
  return {
    ok: list.length === 0, entries: chain.entries, headSeq: chain.head.seq, headHash: chain.head.hash, facts, unproven,
    checkpoints: { given: o.checkpoints?.length ?? 0, matched }, firstProblem: list[0] ?? null, problems: list,
    ...(brokenAt !== undefined ? { brokenAt } : {}),
  };
}

function walkChain(db: Db, problems: Problems): { entries: number; head: { seq: number; hash: string } } {
  let prev = GENESIS_HASH;
  let head = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  let broken = false;
  for (const r of db.prepare('SELECT * FROM evidence_log ORDER BY seq').iterate() as IterableIterator<EvidenceRow>) {
    entries++;
    if (!broken && (r.prev_hash !== prev || entryHash(r) !== r.hash)) {
      broken = true;
      problems.add({ check: 'chain', seq: r.seq, message: `entry ${r.seq} (${r.kind} ${r.subject}) does not chain: its hash or the previous hash was changed, or it was inserted` });
    }
    prev = r.hash;
    head = { seq: r.seq, hash: r.hash };
  }
  return { entries, head };
}

interface AppendOnlyTable {
  table: FactTableName;
  entryKind: string;
  rows: string;
  /** The fact row an entry speaks of: its bound key, or (entries before binding) found from the payload. */
  rowIdOf: (db: Db, e: EvidenceRow) => string | null;
  /** For entries written before binding: does the row match what the entry's payload says? */
  legacyMatches: (e: EvidenceRow, row: Record<string, unknown>) => boolean;
  hasEntry: string;
  /** Columns shown beside the fact but derived from bound rows: re-derived for rows whose binding holds. */
  derived?: (db: Db) => (row: Record<string, unknown>) => string | null;
}


const HITS: AppendOnlyTable = {
  table: 'hits',
  entryKind: 'hit',
  rows: 'SELECT * FROM hits ORDER BY rowid',
  rowIdOf: (_db, e) => e.fact_id ?? e.subject,
  legacyMatches: (e, row) => {
    const p = JSON.parse(e.payload) as Record<string, unknown>;
    return p.kind === row.kind && p.sid === row.provider_sid && p.from === row.from_number && p.to === row.to_number &&
      (p.canaryId ?? null) === row.canary_id && p.classification === row.classification && p.rawSha256 === digest(String(row.raw));
  },
  hasEntry: "SELECT 1 FROM evidence_log WHERE subject = ? AND kind = 'hit' LIMIT 1",
  derived: derivedHitCheck,
};

const STATUS_EVENTS: AppendOnlyTable = {
  table: 'call_status_events',
  entryKind: 'call-status',
  rows: 'SELECT * FROM call_status_events ORDER BY id',
  rowIdOf: (db, e) => {
    if (e.fact_id !== null) return e.fact_id;
    const status = (JSON.parse(e.payload) as { status?: string }).status ?? null;
    const id = db.prepare('SELECT id FROM call_status_events WHERE call_sid = ? AND call_status = ?').pluck().get(e.subject, status);
    return id === undefined ? null : String(id);
  },
  legacyMatches: (e, row) => {
    const p = JSON.parse(e.payload) as Record<string, unknown>;
    return p.status === row.call_status && (p.durationSeconds ?? null) === row.duration_seconds && p.rawSha256 === digest(String(row.raw));
  },
  hasEntry: `SELECT 1 FROM evidence_log WHERE (fact_table = 'call_status_events' AND fact_id = @id)
             OR (fact_table IS NULL AND kind = 'call-status' AND subject = @sid AND json_extract(payload, '$.status') = @status) LIMIT 1`,
};

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

/** Derived-column problems, held back until the status events they are derived from are verified. */
interface Aside {
  derived: Array<{ sid: string; problem: Problem }>;
  /** Calls (by sid) with a status event that does not verify. */
  taintedCalls: Set<string>;
  /** Status events were not all verified (rows out of order, or past the cap): no derived problem is named. */
  callsUnchecked: boolean;
}

/**
 * Rows in insert order against their entries in log order. A row without an entry, an entry
 * whose row is gone, a row that differs from what its entry bound, or the two out of step: each
 * named by table, row and entry.
 */
function verifyAppendOnly(db: Db, problems: Problems, t: AppendOnlyTable, aside: Aside): number {
  const entries = db.prepare('SELECT * FROM evidence_log WHERE kind = ? ORDER BY seq').iterate(t.entryKind) as IterableIterator<EvidenceRow>;
  const rows = db.prepare(t.rows).iterate() as IterableIterator<Record<string, unknown>>;
  const hasEntry = db.prepare(t.hasEntry);
  const rowExists = db.prepare(`SELECT 1 FROM ${t.table} WHERE id = ?`);
  const derived = t.derived?.(db);
  const rowHasEntry = (row: Record<string, unknown>) =>
    t.table === 'hits' ? hasEntry.get(row.id) !== undefined
      : hasEntry.get({ id: String(row.id), sid: row.call_sid, status: row.call_status }) !== undefined;
  let e = entries.next();
  let r = rows.next();
  let checked = 0;
  let reported = 0;
  const report = (p: Problem, row?: Record<string, unknown>, entry?: EvidenceRow) => {
    problems.add({ table: t.table, ...p });
    reported++;
    if (t.table === 'call_status_events') {
      const sid = row?.call_sid ?? entry?.subject;
      if (sid !== undefined) aside.taintedCalls.add(String(sid));
      if (p.check === 'order') aside.callsUnchecked = true;
    }
  };
  try {
    return merge();
  } finally {
    // An iterator left open keeps the connection busy for every later statement.
    entries.return?.();
    rows.return?.();
  }

  function merge(): number {
    while ((!e.done || !r.done) && reported < 20) {
      const entry = e.done ? undefined : e.value;
      const row = r.done ? undefined : r.value;
      const entryRowId = entry ? t.rowIdOf(db, entry) : null;
      if (entry && row && entryRowId === String(row.id)) {
        checked++;
        const same = entry.fact_hash !== null ? entry.fact_hash === factHash(t.table, row) : t.legacyMatches(entry, row);
        if (!same) report({ check: 'data', seq: entry.seq, rowId: String(row.id), message: `${t.table} row ${row.id} differs from what entry ${entry.seq} recorded` }, row, entry);
        // Rows bound before binding existed were summarised by older code: only a bound row's derived columns are re-derived.
        const why = same && entry.fact_hash !== null && derived && aside.derived.length < 100 ? derived(row) : null;
        if (why !== null) {
          aside.derived.push({ sid: String(row.provider_sid), problem: { check: 'derived', table: t.table, seq: entry.seq, rowId: String(row.id),
            message: `${why} (not what the bound rows give: edited outside the tracer)` } });
        }
        e = entries.next();
        r = rows.next();
      } else if (row && !rowHasEntry(row)) {
        report({ check: 'presence', rowId: String(row.id), message: `${t.table} row ${row.id} has no evidence entry (inserted outside the tracer)` }, row);
        r = rows.next();
      } else if (entry && (entryRowId === null || rowExists.get(entryRowId) === undefined)) {
        report({ check: 'presence', seq: entry.seq, rowId: entryRowId ?? entry.subject, message: `entry ${entry.seq} records ${t.table} row ${entryRowId ?? entry.subject}, which is gone` }, undefined, entry);
        e = entries.next();
      } else {
        report({ check: 'order', seq: entry?.seq, rowId: row ? String(row.id) : undefined,
          message: `${t.table} row ${row?.id} is not where entry ${entry?.seq} (row ${entryRowId}) puts it: rows were reordered or re-inserted` });
        break;
      }
    }
    // Events left unread (past the cap): which calls they would taint is not known.
    if (t.table === 'call_status_events' && reported >= 20) aside.callsUnchecked = true;
    return checked;
  }
}

function checkCheckpoints(db: Db, problems: Problems, head: { seq: number; hash: string }, o: VerifyOptions): number {
  let matched = 0;
  const hashAt = db.prepare('SELECT hash FROM evidence_log WHERE seq = ?').pluck();
  const remembered = db.prepare('SELECT seq FROM evidence_verified WHERE id = 1').pluck().get() as number | undefined;
  if (remembered !== undefined && remembered > head.seq) {
    problems.add({ check: 'missing-at-end', seq: remembered, message: `the log ends at entry ${head.seq} but was verified up to ${remembered}: ${remembered - head.seq} entries are missing at the end` });
  }
  for (const c of o.checkpoints ?? []) {
    if (!o.publicKeyPem || !checkpointSignedBy(c, o.publicKeyPem)) {
      problems.add({ check: 'checkpoint', seq: c.seq, message: `checkpoint at entry ${c.seq} (${c.at}) is not signed by this instance's key` });
      continue;
    }
    if (c.seq > head.seq) {
      problems.add({ check: 'missing-at-end', seq: c.seq, message: `checkpoint ${c.at} covers ${c.seq} entries but the log ends at ${head.seq}: ${c.seq - head.seq} entries are missing at the end` });
      continue;
    }
    const hash = c.seq === 0 ? GENESIS_HASH : (hashAt.get(c.seq) as string | undefined);
    if (hash !== c.hash) {
      problems.add({ check: 'checkpoint', seq: c.seq, message: `entry ${c.seq} is not the one checkpointed at ${c.at}: the log was rewritten (re-chained) up to there` });
      continue;
    }
    matched++;
  }
  return matched;
}
