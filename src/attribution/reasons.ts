import type { Pass } from './decoder.ts';
import type { ChannelPosterior, ChannelVerdictName, DecoderOptions } from './model.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface Context {
  r: number;
  now: number;
  o: DecoderOptions;
  names: Record<string, string>;
}

/** One channel's posterior, verdict, evidence and the reasons in words. */
export function describeChannel(pass: Pass, channelId: string, ctx: Context, words = true): ChannelPosterior {
  const e = pass.evidence.get(channelId)!;
  const probability = pass.marginals.get(channelId) ?? ctx.o.prior;
  const party = pass.partyOf.get(channelId) ?? null;
  const mine = e.callers.find((x) => x.caller === party);
  const calls = mine?.calls ?? [];
  const latencies = calls.map((c) => c.latencyMs / MINUTE).sort((a, b) => a - b);
  const verdict = verdictOf(probability, e.canaries.length, ctx.o);
  return {
    channelId,
    probability: Math.round(probability * 1000) / 1000,
    verdict,
    exposedCanaries: e.canaries.length,
    calledCanaries: calls.length,
    party: calls.length > 0 ? party : null,
    evidenceCallIds: calls.map((c) => c.callId),
    latenciesMinutes: latencies.map((m) => Math.round(m * 10) / 10),
    reasons: words ? reasons(pass, channelId, probability, party, ctx) : [],
  };
}

function verdictOf(p: number, exposed: number, o: DecoderOptions): ChannelVerdictName {
  if (exposed === 0) return 'no-data';
  if (p >= o.thresholds.leaking) return 'leaking';
  if (p >= o.thresholds.suspect) return 'suspect';
  if (p <= o.thresholds.clean) return 'clean';
  return 'undetermined';
}

function reasons(pass: Pass, channelId: string, p: number, party: string | null, ctx: Context): string[] {
  const e = pass.evidence.get(channelId)!;
  if (e.canaries.length === 0) return ['no canary has been exposed to this channel'];
  const out: string[] = [];
  const n = e.canaries.length;
  const onlyHere = e.canaries.filter((k) => (pass.idx.exposuresOf.get(k.canaryId)?.length ?? 0) === 1).length;
  const mine = e.callers.find((x) => x.caller === party);
  if (mine && mine.calls.length > 0) {
    const alone = mine.calls.filter((c) => c.exposedOnlyHere).length;
    const lat = mine.calls.map((c) => c.latencyMs);
    const span = `${duration(Math.min(...lat))}${lat.length > 1 ? `–${duration(Math.max(...lat))}` : ''}`;
    const which = alone > 0 && alone < mine.calls.length ? ` (${alone} of them exposed only to this channel)` : alone === mine.calls.length && onlyHere === n ? ' (exposed only to this channel)' : '';
    out.push(`${mine.calls.length} of ${n} canaries exposed to this channel${which} called by the same caller ${party} ${span} after exposure`);
    const stats = pass.idx.callerStats(party!)!;
    if (stats.noise > 0) out.push(`that caller also rang ${stats.noise} number(s) no leak could have given it (control, burn-in, unassigned, or a canary before planting): weighed down, not ruled out`);
  } else {
    out.push(`none of the ${n} canaries exposed to this channel was called by a caller that a leak would explain`);
  }
  const others = e.callerCount - (mine ? 1 : 0);
  if (others > 0) out.push(`${others} other caller(s) rang these canaries, at times and in patterns the background explains better`);
  const missed = n - (mine?.calls.length ?? 0);
  if (missed > 0 && Number.isFinite(ctx.now)) {
    const days = e.canaries.reduce((s, k) => s + Math.max(0, ctx.now - k.from), 0) / DAY / n;
    out.push(`${missed} exposed canar${missed === 1 ? 'y' : 'ies'} not called by that party; exposed ${days.toFixed(1)} days on average`);
  }
  const shared = new Set<string>();
  for (const k of e.canaries) for (const x of pass.idx.exposuresOf.get(k.canaryId) ?? []) if (x.channelId !== channelId) shared.add(x.channelId);
  if (shared.size > 0) out.push(`shares canaries with ${[...shared].slice(0, 5).map((c) => ctx.names[c] ?? c).join(', ')}${shared.size > 5 ? ` and ${shared.size - 5} more` : ''}`);
  out.push(`background ${ctx.r.toFixed(3)} calls per number-day; call-back probability q ${pass.q.toFixed(2)}`);
  out.push(`probability ${p.toFixed(3)} that this channel leaks (prior ${ctx.o.prior})`);
  return out;
}

function duration(ms: number): string {
  const min = ms / MINUTE;
  if (min < 90) return `${Math.max(0, Math.round(min))} min`;
  if (min < 48 * 60) return `${(min / 60).toFixed(1)} h`;
  return `${(min / 1440).toFixed(1)} days`;
}
