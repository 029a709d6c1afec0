import type { Report, ChannelVerdict } from '../attribution/report.ts';
import type { CaseService } from './service.ts';
import type { Case, CaseNote } from './repository.ts';
import type { Db } from '../store/db.ts';
import { contactsChart } from './chart.ts';
import { caseParties, type CaseParty } from './parties.ts';

// Everything the case report shows, as plain data (the template only lays it out). The verdicts are
// the attribution report's, for the case's channels; nothing here judges anew.

const TIMELINE_SHOWN = 200;

export interface Custody {
  headHash: string;
  headSeq: number;
  /** SHA-256 of the bundle's evidence manifest (every data file but the report itself); null outside a bundle. */
  evidenceManifestSha256: string | null;
  producedBy: string;
  producedAt: string;
  keyFingerprint: string | null;
  /** Outside a bundle: the last bundle made of this case, from the evidence log. */
  lastBundle?: { manifestSha256: string; at: string } | null;
}

export interface TimelineItem { at: string; kind: 'planting' | 'first-contact' | 'act'; text: string; detail: string }

/** A leaking or suspect channel with the case party it most likely leaks to, when there is one. */
export interface LeakingChannel extends ChannelVerdict { leaksTo: CaseParty | null }

export interface CaseReportData {
  case: Case;
  channels: ChannelVerdict[];
  leaking: LeakingChannel[];
  /** The linked parties first, then those implicated on the case's channels. */
  parties: CaseParty[];
  /** Decoder key (an accepted party's id, or a number) → the case party's name, for the callers lists. */
  partyNames: Record<string, string>;
  hits: number;
  canaries: number;
  firstContactAt: string | null;
  notifyBy: string | null;
  timeline: TimelineItem[];
  timelineTotal: number;
  chartSvg: string;
  campaigns: Report['campaigns'];
  noise: Report['noise'];
  model: Report['model'];
  notes: CaseNote[];
  numbersRetired: number;
  canariesWithdrawn: number;
  custody: Custody;
}

export type ReportSource = (q: { limit?: number; cursor?: string }) => Report | Promise<Report>;

/** Every channel of the attribution report, page after page (it pages its channels). Sync or off-thread source alike. */
export async function allChannels(report: ReportSource): Promise<{ first: Report; channels: ChannelVerdict[] }> {
  const first = await report({ limit: 1000 });
  const channels = [...first.channels];
  for (let cursor = first.nextCursor; cursor;) {
    const page = await report({ limit: 1000, cursor });
    channels.push(...page.channels);
    cursor = page.nextCursor;
  }
  return { first, channels };
}

export async function buildCaseReportData(
  db: Db,
  cases: CaseService,
  caseId: string,
  report: ReportSource,
  custody: Omit<Custody, 'headHash' | 'headSeq'> & { headHash: string; headSeq: number },
  actsOf: (caseId: string) => Array<{ at: string; kind: string; payload: any }>,
): Promise<CaseReportData> {
  const detail = cases.detail(caseId);
  const { first, channels } = await allChannels(report);
  const linked = new Set(detail.links.filter((l) => l.kind === 'channel').map((l) => l.ref));
  const plantings = cases.scope.plantings(caseId);
  const touched = new Set(plantings.map((p) => p.channelId));
  // Channels the case names; with none named, every channel its canaries touched.
  const mine = channels.filter((c) => (linked.size > 0 ? linked.has(c.channelId) : touched.has(c.channelId)));
  const firsts = cases.scope.firstContacts(caseId, TIMELINE_SHOWN);
  const acts = actsOf(caseId);
  const bundle = acts.filter((a) => a.kind === 'case-bundle').at(-1);
  if (!custody.evidenceManifestSha256 && bundle) custody.lastBundle = { manifestSha256: String(bundle.payload.manifestSha256), at: bundle.at };
  const timeline: TimelineItem[] = [
    ...plantings.filter((p) => p.exposedAt).map((p) => ({ at: p.exposedAt!, kind: 'planting' as const, text: p.channelName, detail: p.phoneNumber })),
    ...firsts.map((f) => ({ at: f.at, kind: 'first-contact' as const, text: f.from, detail: f.phoneNumber })),
    ...acts.map((a) => ({ at: a.at, kind: 'act' as const, text: a.kind, detail: String(a.payload?.by ?? '') })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const firstContactAt = firsts[0]?.at ?? null;
  const foundAt = detail.notice.foundAt || firstContactAt;
  const numbers = cases.scope.numbersOf(caseId);
  const parties = caseParties(db, cases.scope, caseId, detail.links.filter((l) => l.kind === 'party').map((l) => l.ref), mine, channels);
  const leaksTo = (c: ChannelVerdict) => parties.find((p) => p.channels.some((x) => x.channelId === c.channelId && x.decoded)) ?? null;
  return {
    case: detail,
    channels: mine,
    leaking: mine.filter((c) => c.verdict === 'leaking' || c.verdict === 'suspect').map((c) => ({ ...c, leaksTo: leaksTo(c) })),
    parties,
    partyNames: Object.fromEntries(parties.flatMap((p) => (p.name ? [[p.key, p.name], ...(p.partyId ? [[p.partyId, p.name]] : [])] : []))),
    hits: detail.hits,
    canaries: detail.canaries,
    firstContactAt,
    notifyBy: foundAt && !Number.isNaN(Date.parse(foundAt)) ? new Date(Date.parse(foundAt) + 72 * 3600_000).toISOString() : null,
    timeline: timeline.slice(0, TIMELINE_SHOWN),
    timelineTotal: timeline.length,
    chartSvg: contactsChart(cases.scope, caseId),
    campaigns: first.campaigns.filter((c) => detail.links.some((l) => l.kind === 'campaign' && l.ref === c.id) || first.campaigns.length <= 10),
    noise: first.noise,
    model: first.model,
    notes: detail.notes,
    numbersRetired: numbers.filter((n) => n.status === 'retired' || n.status === 'released').length,
    canariesWithdrawn: new Set(plantings.filter((p) => p.status === 'withdrawn').map((p) => p.canaryId)).size,
    custody,
  };
}
