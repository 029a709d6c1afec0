// The facts the decoder reasons over and what it answers, as plain data: the report builds them
// from the store, the world simulator builds them from a simulated world, and both run the same
// decoder (src/attribution/decoder.ts). Times are epoch milliseconds.

/** A period in which a channel could see a canary: from a planting, or downstream through a flow. */
export interface Exposure {
  canaryId: string;
  channelId: string;
  /** When the canary became visible to the channel (the target write, or the flow's delay after it). */
  from: number;
}

/**
 * One inbound call or SMS, judged when reading. `canaryId` is set when the number called was a
 * canary's at that time; otherwise the call rang a number that no leak could have given anyone
 * (a control, a number in burn-in, a number no canary holds), which tells about the caller.
 */
export interface DecoderCall {
  id: string;
  /** Who called: a caller number, or a party id when investigators grouped numbers. Withheld callers each get a key of their own. */
  caller: string;
  /** The number rung (its phone number or id): repeat calls to one number count once as evidence. */
  number: string;
  canaryId: string | null;
  at: number;
}

/** Caller keys for calls whose number was withheld: each call a caller of its own, never a party. */
export const WITHHELD_PREFIX = 'withheld:';

export interface LatencyModel {
  /** Median time from exposure to the leak party's first call, minutes. */
  medianMinutes: number;
  /** Spread of log latency (lognormal sigma). */
  sigma: number;
}

export interface DecoderOptions {
  /** Prior probability that any one channel leaks. */
  prior: number;
  /** Beta prior on q, the probability that a leak party calls a canary it received. */
  callBack: { alpha: number; beta: number };
  latency: LatencyModel;
  /**
   * How much less often a leak party rings a number no leak gave it than a random dialler would:
   * each such call multiplies the caller's weight as a leak party by this factor (0 < κ ≤ 1).
   */
  strayFactor: number;
  /**
   * A leaked ticket may reach more than one outside caller (firms sharing a script): a call soon after
   * exposure from someone other than the channel's main party counts at this share of a leak call,
   * without the same-caller bonus.
   */
  secondPartyShare: number;
  /** Most channels assumed to leak at once in the exact enumeration. */
  maxLeakers: number;
  /** Channels with evidence enumerated jointly (exactly); the rest enter one by one. */
  maxCandidates: number;
  /** Verdict thresholds on the posterior probability. */
  thresholds: { leaking: number; suspect: number; clean: number };
}

export const DEFAULT_DECODER_OPTIONS: DecoderOptions = {
  prior: 0.05,
  callBack: { alpha: 3.5, beta: 1.5 },
  latency: { medianMinutes: 60, sigma: 2.2 },
  strayFactor: 0.35,
  secondPartyShare: 0.5,
  maxLeakers: 3,
  maxCandidates: 18,
  thresholds: { leaking: 0.95, suspect: 0.5, clean: 0.01 },
};

export interface DecoderInput {
  channels: string[];
  /** Names to use in the reasons (default: the ids). */
  channelNames?: Record<string, string>;
  exposures: Exposure[];
  calls: Iterable<DecoderCall>;
  /** Background calls per number-day, measured on controls and burn-in. */
  backgroundPerNumberDay: number;
  /** The time the data stands at: a canary exposed an hour ago and not yet called is only a partial miss. Default: no censoring. */
  now?: number;
  options?: Partial<DecoderOptions>;
  /** Which channels get their reasons in words (default: all); the report words only the page it shows. */
  explain?: (channelId: string) => boolean;
  /** The facts already indexed (the report indexes while streaming the hits); `calls` is then ignored. */
  prebuilt?: import('./facts-index.ts').FactsIndex;
}

export type ChannelVerdictName = 'leaking' | 'suspect' | 'clean' | 'undetermined' | 'no-data';

export interface ChannelPosterior {
  channelId: string;
  probability: number;
  verdict: ChannelVerdictName;
  /** Canaries exposed to this channel. */
  exposedCanaries: number;
  /** Of those, called after their exposure by the channel's most likely leak party. */
  calledCanaries: number;
  /** The most likely leak party for this channel (caller key), if any. */
  party: string | null;
  /** Ids of the calls that carry the evidence (the party's first call on each canary). */
  evidenceCallIds: string[];
  /** First-contact latencies of those calls, minutes. */
  latenciesMinutes: number[];
  /** The reasons in words. */
  reasons: string[];
}

export interface DecoderResult {
  channels: ChannelPosterior[];
  /** The call-back probability used (posterior mean given the data). */
  callBackProbability: number;
  backgroundPerNumberDay: number;
  prior: number;
  /** exact: every hypothesis of up to maxLeakers leakers enumerated; screened: see decoder.ts. */
  method: 'exact' | 'screened';
  /** The most likely set of leaking channels. */
  leakingSet: string[];
}
