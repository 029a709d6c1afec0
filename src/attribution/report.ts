import type { Db } from '../store/db.ts';
import { controlBackground, type ControlBackground } from '../numbers/background.ts';

export type Verdict = 'leaking' | 'suspect' | 'clean' | 'no-data';

export interface Caller {
  number: string;
  name: string | null;
}

export interface ChannelVerdict {
  channelId: string;
  name: string;
  kind: string;
  verdict: Verdict;
  canaries: number;
  canariesCalled: number;
  hits: number;
  firstContactMinutes: number | null;
  callers: Caller[];
  /** The evidence hits behind the verdict. */
  hitIds: string[];
}

export interface Report {
  generatedAt: string;
  channels: ChannelVerdict[];
  /** Control fields: the background call rate measured on control numbers (see src/numbers/background.ts). */
  noise: { unmatchedHits: number; beforePlantingHits: number; controlHits: number; burnInHits: number; noiseCallers: string[] } & ControlBackground;
}

interface PlantingFact {
  channel_id: string;
  canary_id: string;
  planted_at: string;
}

interface HitFact {
  id: string;
  canary_id: string | null;
  from_number: string;
  caller_name: string | null;
  received_at: string;
  classification: string;
}

const NOISE_CLASSES = new Set(['unmatched', 'before-planting', 'control', 'burn-in']);

/**
 * Which channels leak. A hit is evidence when it reaches a canary after that canary was planted in
 * the channel, from a caller who is not noise. Noise, first version: a caller who has also rung a
 * number no canary holds, a control, a number in burn-in, or a canary before it was planted — the
 * signature of someone dialling at random rather than from a leaked ticket.
 * A channel leaks when a canary planted only there was reached; when only canaries it shares with
 * other channels were reached it is suspect; with canaries and no evidence it is clean.
 */
export function channelVerdicts(db: Db, now: Date): Report {
  const channels = db.prepare('SELECT id, name, kind FROM channels ORDER BY created_at, id').all() as Array<{ id: string; name: string; kind: string }>;
  const plantings = db
    .prepare(`SELECT channel_id, canary_id, planted_at FROM plantings WHERE planted_at IS NOT NULL`)
    .all() as PlantingFact[];
  const hits = db
    .prepare('SELECT id, canary_id, from_number, caller_name, received_at, classification FROM hits ORDER BY received_at, id')
    .all() as HitFact[];

  const noiseCallers = new Set(hits.filter((h) => NOISE_CLASSES.has(h.classification)).map((h) => h.from_number));
  const channelsOfCanary = new Map<string, Set<string>>();
  for (const p of plantings) {
    if (!channelsOfCanary.has(p.canary_id)) channelsOfCanary.set(p.canary_id, new Set());
    channelsOfCanary.get(p.canary_id)!.add(p.channel_id);
  }
  const hitsOfCanary = new Map<string, HitFact[]>();
  for (const h of hits) {
    if (!h.canary_id || NOISE_CLASSES.has(h.classification) || noiseCallers.has(h.from_number)) continue;
    if (!hitsOfCanary.has(h.canary_id)) hitsOfCanary.set(h.canary_id, []);
    hitsOfCanary.get(h.canary_id)!.push(h);
  }

  const verdicts = channels.map((ch): ChannelVerdict => {
    const mine = plantings.filter((p) => p.channel_id === ch.id);
    let called = 0;
    let leakedAlone = false;
    let first: number | null = null;
    const evidence: HitFact[] = [];
    for (const p of mine) {
      const after = (hitsOfCanary.get(p.canary_id) ?? []).filter((h) => h.received_at >= p.planted_at);
      if (after.length === 0) continue;
      called++;
      evidence.push(...after);
      if (channelsOfCanary.get(p.canary_id)!.size === 1) leakedAlone = true;
      const minutes = (Date.parse(after[0]!.received_at) - Date.parse(p.planted_at)) / 60_000;
      first = first === null ? minutes : Math.min(first, minutes);
    }
    const verdict: Verdict = mine.length === 0 ? 'no-data' : leakedAlone ? 'leaking' : called > 0 ? 'suspect' : 'clean';
    return {
      channelId: ch.id,
      name: ch.name,
      kind: ch.kind,
      verdict,
      canaries: mine.length,
      canariesCalled: called,
      hits: evidence.length,
      firstContactMinutes: first === null ? null : Math.round(first * 10) / 10,
      callers: distinctCallers(evidence),
      hitIds: evidence.map((h) => h.id),
    };
  });

  const count = (c: string) => hits.filter((h) => h.classification === c).length;
  return {
    generatedAt: now.toISOString(),
    channels: verdicts,
    noise: {
      unmatchedHits: count('unmatched'),
      beforePlantingHits: count('before-planting'),
      controlHits: count('control'),
      burnInHits: count('burn-in'),
      noiseCallers: [...noiseCallers].sort(),
      ...controlBackground(db, now),
    },
  };
}

function distinctCallers(hits: HitFact[]): Caller[] {
  const byNumber = new Map<string, string | null>();
  for (const h of hits) {
    if (!byNumber.has(h.from_number) || (byNumber.get(h.from_number) === null && h.caller_name)) {
      byNumber.set(h.from_number, h.caller_name);
    }
  }
  return [...byNumber].map(([number, name]) => ({ number, name }));
}
