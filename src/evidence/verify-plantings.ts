// Plantings change state (pending → planted → withdrawn, or awaiting-confirmation, not-planted,
// needs-review), and each transition is a fact. A planting whose entries bind its row (fact
// 'plantings') must match the latest binding. Until every writer binds, a planting is re-derived
// from the entries the writers give today (subject = planting id): the latest state entry must be
// the one its status implies, and its payload (canary, channel, target, ticket, times) must match.
import type { Db } from '../store/db.ts';
import type { EvidenceRow } from './chain.ts';
import { factHash } from './facts.ts';
import type { Problems } from './verify.ts';

const STATE_KINDS = ['planting-prepared', 'planting', 'withdrawal', 'planting-reconciled'];

interface PlantingRow {
  id: string;
  canary_id: string;
  channel_id: string;
  target: string;
  status: string;
  external_ref: string | null;
  planted_at: string | null;
  withdrawn_at: string | null;
  [k: string]: unknown;
}

export function verifyPlantings(db: Db, problems: Problems): number {
  const bound = db.prepare("SELECT * FROM evidence_log WHERE fact_table = 'plantings' AND fact_id = ? ORDER BY seq DESC LIMIT 1");
  const states = db.prepare(`SELECT * FROM evidence_log WHERE subject = ? AND kind IN (${STATE_KINDS.map(() => '?').join(',')}) ORDER BY seq`);
  const rolledBack = db.prepare("SELECT payload FROM evidence_log WHERE subject = ? AND kind = 'canary-rolled-back'").pluck();
  let checked = 0;
  let reported = 0;
  for (const row of db.prepare('SELECT * FROM plantings ORDER BY rowid').iterate() as IterableIterator<PlantingRow>) {
    if (reported >= 20) break;
    checked++;
    const binding = bound.get(row.id) as EvidenceRow | undefined;
    const problem = binding
      ? binding.fact_hash === factHash('plantings', row) ? null : `differs from what entry ${binding.seq} recorded`
      : legacyProblem(row, states.all(row.id, ...STATE_KINDS) as EvidenceRow[], () => rolledBack.all(row.canary_id) as string[]);
    if (problem) {
      reported++;
      problems.add({ check: 'data', table: 'plantings', rowId: row.id, message: `plantings row ${row.id} (${row.status}) ${problem}` });
    }
  }
  reported += missingPlantings(db, problems);
  return checked;
}

/** What is wrong with a planting against the entries written for it, or null. */
function legacyProblem(row: PlantingRow, entries: EvidenceRow[], rollbacks: () => string[]): string | null {
  const last = entries.at(-1);
  const p = last ? (JSON.parse(last.payload) as Record<string, unknown>) : {};
  const same = (k: string, v: unknown) => p[k] === undefined || p[k] === v;
  // withdrawn_at is only ever set with a withdrawal; created_at is bound once writers pass {table, id}.
  const identity = () => same('canaryId', row.canary_id) && same('channelId', row.channel_id) && same('target', row.target) &&
    (row.status === 'withdrawn' || row.withdrawn_at === null);
  switch (row.status) {
    case 'pending':
      return last ? `is pending, but entry ${last.seq} recorded it as ${last.kind}` : null;
    case 'awaiting-confirmation':
      if (!last || !(last.kind === 'planting-prepared' || (last.kind === 'planting-reconciled' && p.status === row.status))) return 'awaits confirmation with no entry preparing it';
      return identity() ? null : `does not match entry ${last.seq}`;
    case 'planted': {
      if (!last || last.kind !== 'planting') return `is planted with no planting entry${last ? ` (the latest is ${last.kind}, entry ${last.seq})` : ''}`;
      const plantedAt = p.confirmedAt ?? (p.reconciled ? undefined : last.at);
      const ok = identity() && same('externalRef', row.external_ref) && (plantedAt === undefined || plantedAt === row.planted_at);
      return ok ? null : `does not match planting entry ${last.seq}`;
    }
    case 'withdrawn': {
      if (last?.kind === 'withdrawal') {
        const before = entries.slice(0, -1).some((e) => e.kind === 'planting' || e.kind === 'planting-prepared');
        if (!before) return `was withdrawn (entry ${last.seq}) with no entry planting it before`;
        return identity() && same('externalRef', row.external_ref) && last.at === row.withdrawn_at ? null : `does not match withdrawal entry ${last.seq}`;
      }
      // A half-made canary taken back out: its rollback entry names the planting.
      const named = rollbacks().some((payload) => (JSON.parse(payload).withdrawn ?? []).some((w: { plantingId?: string }) => w.plantingId === row.id));
      return named ? null : 'is withdrawn with no withdrawal entry';
    }
    default:
      // A planting the pipeline never wrote because its canary failed elsewhere: the rollback entry names it.
      if (row.status === 'not-planted' && rollbacks().some((payload) => (JSON.parse(payload).notPlanted ?? []).includes(row.id))) return null;
      if (!last || last.kind !== 'planting-reconciled' || p.status !== row.status) return `is ${row.status} with no entry settling it so`;
      return identity() ? null : `does not match entry ${last.seq}`;
  }
}

/** Entries that speak of a planting whose row is gone. */
function missingPlantings(db: Db, problems: Problems): number {
  const gone = db.prepare(
    `SELECT e.seq, e.kind, e.subject FROM evidence_log e
     WHERE e.kind IN (${STATE_KINDS.map(() => '?').join(',')}, 'planting-finding')
       AND NOT EXISTS (SELECT 1 FROM plantings p WHERE p.id = e.subject) ORDER BY e.seq LIMIT 20`,
  ).all(...STATE_KINDS) as Array<{ seq: number; kind: string; subject: string }>;
  for (const g of gone) {
    problems.add({ check: 'presence', table: 'plantings', seq: g.seq, rowId: g.subject, message: `entry ${g.seq} (${g.kind}) records planting ${g.subject}, which is gone` });
  }
  return gone.length;
}
