// The evidence log speaks of every planting, so read whole it is the canary registry. For an
// investigator, entries about a canary (or canary number) that no call has touched are sealed:
// kind, time and hashes stay (the chain status is the server's), subject and payload are withheld.
// Entries about canaries the evidence touches are shown, and that read is audited by the caller.
import type { Db } from '../store/db.ts';
import type { EvidenceEntry } from './chain.ts';
import type { Problem, VerifyReport } from './verify.ts';

const PLANTING_KINDS = new Set(['planting', 'planting-prepared', 'withdrawal', 'planting-finding', 'planting-reconciled']);

export interface SealedPage {
  entries: EvidenceEntry[];
  /** Canaries whose registry facts this page shows (to audit). */
  revealedCanaries: string[];
  sealed: number;
}

interface Refs {
  canaryId?: string;
  plantingId?: string;
  numberId?: string;
  phoneNumber?: string;
}

function refsOf(e: EvidenceEntry): Refs | null {
  const p = (e.payload ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  if (e.kind === 'hit' || e.kind === 'call-status') return null; // a call happened: nothing uncalled here
  if (e.kind === 'canary-rolled-back') return { canaryId: e.subject };
  if (PLANTING_KINDS.has(e.kind)) return { canaryId: str(p.canaryId), plantingId: e.subject };
  if (e.kind.startsWith('number-') || e.kind === 'hits-backfilled') return { numberId: e.subject, phoneNumber: str(p.phoneNumber) };
  if (p.canaryId !== undefined || p.phoneNumber !== undefined || p.externalRef !== undefined) {
    return { canaryId: str(p.canaryId), phoneNumber: str(p.phoneNumber) };
  }
  return null;
}

export function sealForInvestigator(db: Db, entries: EvidenceEntry[]): SealedPage {
  const calledCanary = db.prepare('SELECT 1 FROM hits WHERE canary_id = ? LIMIT 1');
  const canaryOfPlanting = db.prepare('SELECT canary_id FROM plantings WHERE id = ?').pluck();
  const calledNumber = db.prepare(
    'SELECT 1 FROM hits WHERE number_id = @id OR to_number = @phone OR to_number = (SELECT phone_number FROM canary_numbers WHERE id = @id) LIMIT 1',
  );
  const revealed = new Set<string>();
  let sealed = 0;
  const out = entries.map((e) => {
    const refs = refsOf(e);
    if (!refs) return e;
    const canaryId = refs.canaryId ?? (refs.plantingId ? (canaryOfPlanting.get(refs.plantingId) as string | undefined) : undefined);
    let called: boolean;
    if (canaryId !== undefined) called = calledCanary.get(canaryId) !== undefined;
    else if (refs.numberId !== undefined || refs.phoneNumber !== undefined) {
      called = calledNumber.get({ id: refs.numberId ?? null, phone: refs.phoneNumber ?? null }) !== undefined;
    } else called = false; // a registry fact of unknown canary: sealed
    if (called) {
      if (canaryId) revealed.add(canaryId);
      return e;
    }
    sealed++;
    return { ...e, subject: 'sealed', payload: { sealed: 'registry: no call has touched this canary' } };
  });
  return { entries: out, revealedCanaries: [...revealed], sealed };
}

/**
 * A verification as an investigator reads it: a problem on a planting names a registry row (which
 * canary sits in which ticket), so it says only that a planting does not verify, and which check.
 */
export function sealVerifyReport<R extends VerifyReport>(report: R): R {
  const seal = (p: Problem): Problem => (p.table === 'plantings' ? { check: p.check, table: p.table, message: `a plantings row does not verify (${p.check})` } : p);
  return { ...report, firstProblem: report.firstProblem && seal(report.firstProblem), problems: report.problems.map(seal) };
}
