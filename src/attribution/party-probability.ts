// A party's probability under a channel: P(the channel leaks and this party is its leak party | the
// facts). The decoder's joint enumeration (src/attribution/decoder.ts, `enumerateSets`) sums over the
// channel's party options — nobody seen, or one of its PARTIES_PER_CHANNEL strongest callers — and
// keeps each option's posterior mass. A party the enumeration did not weigh (a channel outside the
// joint candidates, or a caller beyond the strongest few there) gets P(channel leaks) × its share of
// the channel's single-channel evidence, exp(logLr_x − logBf): exact under the single-channel model.
// The decoder keeps the weights of a channel's CALLERS_KEPT strongest callers only (decoder.ts); a
// caller beyond them reads 0 here, its true share being below the weakest kept one's. Over a channel's
// parties the probabilities sum to at most P(channel leaks); the rest is "a party we never saw".
import type { Pass } from './decoder.ts';

export function partyProbability(pass: Pass, channelId: string, party: string): number {
  const joint = pass.partyMass.get(`${channelId}\u0000${party}`);
  if (joint !== undefined) return joint;
  const e = pass.evidence.get(channelId);
  const x = e?.callers.find((c) => c.caller === party);
  if (!e || !x) return 0;
  return (pass.marginals.get(channelId) ?? 0) * Math.exp(x.logLr - e.logBf);
}
