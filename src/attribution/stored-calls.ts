// The hits table folded into call pairs (src/attribution/call-pairs.ts), kept between decodes: each
// decode reads only the hits stored since the last one. Hits are facts and are never changed, so
// folding them one batch at a time gives the same pairs as folding them all at once; the pairs are
// read again from the first hit when that cannot be trusted — hits missing (a restored backup, rows
// removed by another tool), the parties investigators accepted changed (they re-key callers), or on
// demand (`tracer report --rebuild`). Callers' names the look-up answered after their hits were
// folded are read from the look-up cache beside the folded ones.
import type { Db } from '../store/db.ts';
import { CallPairs } from './call-pairs.ts';
import { callerKey } from './facts.ts';
import { acceptedPartyOf } from '../parties/repository.ts';

/** [hit id, canary id, source, text], as src/parties/variant-evidence.ts reads them. */
export type HitText = [string, string, 'sms' | 'transcription', string];

/** Caller number → the name to show for it. */
export interface CallerNames {
  get(number: string): string | undefined;
}

export interface Folded {
  pairs: CallPairs;
  names: CallerNames;
  classifications: Map<string, number>;
  controlCalls: number;
  texts: HitText[];
}

export class StoredCalls {
  private pairs!: CallPairs;
  private lastRowid = 0;
  /** The hits' revision the folded rows are of (-1: none yet). */
  private revision = -1;
  private partyKey = '';
  private partyOf = new Map<string, string>();
  /** Caller number → the greatest caller name any of its hits carried (display only). */
  private names = new Map<string, string>();
  /**
   * Caller number → the name its look-up answered, for callers whose hits carry none as folded: the
   * outbox looks a new caller up seconds after its first hit is stored (and folded). Re-read when
   * the look-up cache's revision moves (one write per caller looked up), not with the hits.
   */
  private looked = new Map<string, string>();
  private lookupRevision: number | null = null;
  private readonly shownNames: CallerNames = { get: (n) => this.names.get(n) ?? this.looked.get(n) };
  /** Hits per stored classification (display only: evidence is judged when reading). */
  private classes = new Map<string, number>();
  /** Calls (not SMS) stored as `control`: the control figures beside the report. */
  private controlCalls = 0;
  /** Texts a caller wrote or said on a canary's number, for variant evidence: SMS bodies, then transcriptions. */
  private sms: HitText[] = [];
  private transcriptions: HitText[] = [];
  private readonly idOf: (ref: number) => string;

  constructor(private readonly db: Db) {
    const byRowid = db.prepare('SELECT id FROM hits WHERE rowid = ?').pluck();
    this.idOf = (ref) => byRowid.get(ref) as string;
    this.reset();
  }

  /**
   * Every hit stored so far, folded; reads only what is new since the last call. Called inside the
   * report's read transaction (AttributionReports.decodeNow), so the revision, the parties and the
   * rows folded are one state of the store. `seen`: the hits' revision (fact_revisions: moved by a
   * deleted or edited hit, or one inserted below the greatest rowid) and greatest rowid, when the
   * caller has just read them in that transaction.
   */
  sync(seen?: { revision: number; maxRowid: number }): Folded {
    const partyOf = acceptedPartyOf(this.db);
    const partyKey = [...partyOf].sort().join(';');
    const { revision, maxRowid } = seen ?? this.db.prepare(
      `SELECT (SELECT revision FROM fact_revisions WHERE name = 'hits') AS revision, (SELECT coalesce(max(rowid), 0) FROM hits) AS maxRowid`,
    ).get() as { revision: number; maxRowid: number };
    // Rows below the last one read appeared, vanished or changed, or the parties did: fold every hit again.
    if (partyKey !== this.partyKey || revision !== this.revision || maxRowid < this.lastRowid) this.reset();
    this.partyKey = partyKey;
    this.partyOf = partyOf;
    this.revision = revision;
    this.fold(maxRowid);
    this.readLookups();
    return { pairs: this.pairs, names: this.shownNames, classifications: this.classes, controlCalls: this.controlCalls, texts: [...this.sms, ...this.transcriptions] };
  }

  /** Number id → the canary holding that number, as the store stands now. */
  canaryOf(): (numberId: string) => string | null {
    const map = new Map(this.db.prepare('SELECT number_id, id FROM canaries').raw().all() as Array<[string, string]>);
    return (key) => map.get(key) ?? null;
  }

  reset(): void {
    this.pairs = new CallPairs(this.idOf);
    this.lastRowid = 0;
    this.revision = -1;
    this.partyKey = '';
    this.names = new Map();
    this.classes = new Map();
    this.controlCalls = 0;
    this.sms = [];
    this.transcriptions = [];
  }

  private readLookups(): void {
    const revision = (this.db.prepare("SELECT revision FROM fact_revisions WHERE name = 'caller_lookups'").pluck().get() as number | undefined) ?? null;
    if (revision !== null && revision === this.lookupRevision) return;
    this.lookupRevision = revision;
    this.looked = new Map(this.db.prepare("SELECT phone_number, caller_name FROM caller_lookups WHERE caller_name IS NOT NULL AND caller_name <> ''").raw().all() as Array<[string, string]>);
  }

  private fold(upTo: number): void {
    if (upTo <= this.lastRowid) return;
    const rows = this.db.prepare(
      `SELECT rowid, from_number, to_number, number_id,
              CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER), caller_name, classification, kind, canary_id,
              CASE WHEN canary_id IS NOT NULL AND body <> '' THEN body END,
              CASE WHEN canary_id IS NOT NULL AND instr(raw, 'TranscriptionText') > 0 THEN json_extract(raw, '$.TranscriptionText') END
       FROM hits WHERE rowid > ? AND rowid <= ? ORDER BY rowid`,
    ).raw();
    type Row = [number, string, string, string | null, number, string | null, string, string, string | null, string | null, string | null];
    for (const [rowid, from, to, numberId, at, name, cls, kind, canaryId, body, said] of rows.iterate(this.lastRowid, upTo) as Iterable<Row>) {
      this.pairs.add(callerKey(from, String(rowid), this.partyOf), to, numberId, at, rowid);
      if (cls === 'control' && kind === 'call') this.controlCalls++;
      if (body !== null) this.sms.push([this.idOf(rowid), canaryId!, 'sms', body]);
      if (said !== null) this.transcriptions.push([this.idOf(rowid), canaryId!, 'transcription', said]);
      if (name !== null) {
        const seen = this.names.get(from);
        if (seen === undefined || name > seen) this.names.set(from, name);
      }
      this.classes.set(cls, (this.classes.get(cls) ?? 0) + 1);
    }
    this.lastRowid = upTo;
  }
}
