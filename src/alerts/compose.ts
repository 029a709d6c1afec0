// What an alert says, built from the facts when the event is handled (after the commit). Caller
// names and numbers are written by the people we trace: control and direction-override characters
// are stripped and lengths capped here; each output escapes for its own medium on top.
import type { Db } from '../store/db.ts';
import type { TracerEvent, Severity } from './events.ts';
import type { Alert, AlertCaller, AlertChannel, AlertDigest } from './types.ts';

export interface HitFacts {
  hitId: string;
  kind: 'call' | 'sms';
  from: string;
  to: string;
  callerName: string | null;
  receivedAt: string;
  canaryId: string | null;
  classification: string;
  firstPlantedAt: string | null;
  channels: Array<{ id: string; name: string }>;
}

/** Read-only look-ups alerts need; the tables belong to other areas. */
export class AlertFacts {
  private readonly hitStmt;
  private readonly channelsStmt;
  private readonly channelStmt;

  constructor(db: Db) {
    this.hitStmt = db.prepare(
      `SELECT h.id, h.kind, h.from_number, h.to_number, h.caller_name, h.received_at, h.canary_id, h.classification,
              (SELECT min(p.planted_at) FROM plantings p WHERE p.canary_id = h.canary_id AND p.planted_at IS NOT NULL) AS first_planted
       FROM hits h WHERE h.id = ?`,
    );
    this.channelsStmt = db.prepare(
      `SELECT DISTINCT c.id, c.name FROM plantings p JOIN channels c ON c.id = p.channel_id
       WHERE p.canary_id = ? AND p.planted_at IS NOT NULL ORDER BY c.name`,
    );
    this.channelStmt = db.prepare('SELECT name FROM channels WHERE id = ?').pluck();
  }

  hit(hitId: string): HitFacts | undefined {
    const r = this.hitStmt.get(hitId) as Record<string, string | null> | undefined;
    if (!r) return undefined;
    return {
      hitId: r.id!, kind: r.kind as 'call' | 'sms', from: r.from_number!, to: r.to_number!, callerName: r.caller_name ?? null,
      receivedAt: r.received_at!, canaryId: r.canary_id ?? null, classification: r.classification!, firstPlantedAt: r.first_planted ?? null,
      channels: r.canary_id ? (this.channelsStmt.all(r.canary_id) as Array<{ id: string; name: string }>) : [],
    };
  }

  channelName(channelId: string): string | null {
    return (this.channelStmt.get(channelId) as string | undefined) ?? null;
  }
}

/** Channel id → its verdict now (from the report). */
export type Verdicts = ReadonlyMap<string, string>;

// C0/C1 controls, and the bidi embeddings/overrides/isolates that can make a line read backwards.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** A hostile string made one short, plain line. */
export function clean(value: string, max = 80): string {
  const s = value.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const callerOf = (number: string, name: string | null): AlertCaller => ({
  number: clean(number, 32),
  name: name === null || clean(name) === '' ? null : clean(name),
});

const who = (c: AlertCaller) => (c.name ? `${c.number} (${c.name})` : c.number);

export function sinceLabel(fromIso: string, toIso: string): string {
  const minutes = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

function channelsWithVerdicts(channels: Array<{ id: string; name: string }>, verdicts: Verdicts): AlertChannel[] {
  return channels.map((c) => ({ id: c.id, name: clean(c.name), verdict: verdicts.get(c.id) ?? null }));
}

function verdictLine(channels: AlertChannel[]): string | null {
  const known = channels.filter((c) => c.verdict !== null);
  if (known.length === 0) return null;
  if (known.length === 1) return known[0]!.verdict;
  return known.map((c) => `${c.verdict} (${c.name})`).join(', ');
}

const hitUrl = (baseUrl: string, hitId: string) => `${baseUrl}/hits/${encodeURIComponent(hitId)}`;

export function hitAlert(id: string, f: HitFacts, verdicts: Verdicts, baseUrl: string, severity: Severity): Alert {
  const caller = callerOf(f.from, f.callerName);
  const channels = channelsWithVerdicts(f.channels, verdicts);
  const channel = channels.length ? channels.map((c) => c.name).join(', ') : null;
  const verb = f.kind === 'sms' ? 'texted' : 'called';
  const last4 = f.to.slice(-4);
  let summary: string;
  if (!f.canaryId) summary = `Number ending ${last4}, which no canary holds, ${verb} by ${who(caller)}`;
  else if (channels.length === 0 || !f.firstPlantedAt) summary = `Canary (number ending ${last4}) ${verb} by ${who(caller)} before it was planted`;
  else if (f.receivedAt < f.firstPlantedAt) summary = `Canary in channel ${channel} ${verb} by ${who(caller)} before it was planted`;
  else summary = `Canary in channel ${channel} ${verb} by ${who(caller)} ${sinceLabel(f.firstPlantedAt, f.receivedAt)} after planting`;
  return {
    id, event: 'hit-stored', severity, occurredAt: f.receivedAt, summary, channel, channels, canaryNumberLast4: last4, caller,
    verdict: verdictLine(channels), url: hitUrl(baseUrl, f.hitId), hitId: f.hitId, digest: null,
    minutesAfterPlanting: f.firstPlantedAt && f.receivedAt >= f.firstPlantedAt ? Math.round((Date.parse(f.receivedAt) - Date.parse(f.firstPlantedAt)) / 60_000) : null,
  };
}

/** One digest for the hits a throttle window merged: the count and who called. */
export function digestAlert(first: Alert, hits: Array<{ hitId: string; number: string; name: string | null }>, window: { from: string; to: string }): Alert {
  const byCaller = new Map<string, AlertCaller & { hits: number }>();
  for (const h of hits) {
    const c = byCaller.get(h.number) ?? { ...callerOf(h.number, h.name), hits: 0 };
    c.hits += 1;
    byCaller.set(h.number, c);
  }
  const callers = [...byCaller.values()].sort((a, b) => b.hits - a.hits);
  const digest: AlertDigest = { count: hits.length, callers, hitIds: hits.map((h) => h.hitId), windowStartedAt: window.from, windowEndedAt: window.to };
  const shown = callers.slice(0, 3).map((c) => `${who(c)} ×${c.hits}`).join(', ') + (callers.length > 3 ? `, +${callers.length - 3} more` : '');
  const where = first.channel ? ` in channel ${first.channel}` : '';
  const summary = `${hits.length} more hit${hits.length === 1 ? '' : 's'} on canaries${where} in ${sinceLabel(window.from, window.to)} (throttled): ${shown}`;
  return { ...first, summary, caller: callers[0] ?? null, digest };
}

export interface EventContext {
  baseUrl: string;
  verdicts: Verdicts;
  channelName: (id: string) => string | null;
}

/** Alerts for events other than a stored hit. */
export function eventAlert(id: string, e: Exclude<TracerEvent, { kind: 'hit-stored' }>, occurredAt: string, ctx: EventContext, severity: Severity): Alert {
  const base = { id, event: e.kind, severity, occurredAt, channel: null, channels: [], canaryNumberLast4: null, caller: null, verdict: null, url: null, hitId: null, digest: null };
  switch (e.kind) {
    case 'verdict-changed': {
      const name = clean(ctx.channelName(e.channelId) ?? e.channelId);
      const p = e.probability == null ? '' : ` (p = ${e.probability.toFixed(2)})`;
      const hitId = e.hitIds?.[0] ?? null;
      return {
        ...base, summary: `Channel ${name} is now ${e.to}${p}${e.from ? `, was ${e.from}` : ''}`, channel: name,
        channels: [{ id: e.channelId, name, verdict: e.to }], verdict: e.to, hitId,
        url: hitId ? hitUrl(ctx.baseUrl, hitId) : `${ctx.baseUrl}/channels/${encodeURIComponent(e.channelId)}`,
      };
    }
    case 'party-appeared': {
      const caller = callerOf(e.callerNumber, e.name);
      return { ...base, summary: `New caller ${who(caller)} reached a canary`, caller, hitId: e.hitId ?? null, url: e.hitId ? hitUrl(ctx.baseUrl, e.hitId) : null };
    }
    case 'number-missing':
      return { ...base, summary: `Canary number ending ${clean(e.last4, 4)} is gone from the provider account`, canaryNumberLast4: clean(e.last4, 4), url: `${ctx.baseUrl}/numbers/${encodeURIComponent(e.numberId)}` };
    case 'number-release-failed':
      return { ...base, summary: `Releasing number ending ${clean(e.last4, 4)} failed: ${clean(e.error, 160)}`, canaryNumberLast4: clean(e.last4, 4), url: `${ctx.baseUrl}/numbers/${encodeURIComponent(e.numberId)}` };
    case 'budget-near-cap': {
      const cur = e.currency ? ` ${e.currency}` : '';
      const what = e.budget === 'numbers-monthly' ? 'Canary numbers cost' : 'Caller look-ups today reached';
      return { ...base, summary: `${what} ${e.amount}${cur}, ${Math.round((e.amount / e.cap) * 100)} % of the ${e.cap}${cur} budget` };
    }
    case 'forged-burst':
      return { ...base, summary: `${e.count} forged webhook${e.count === 1 ? '' : 's'} refused in ${Math.round(e.windowSeconds)} s${e.path ? ` on ${clean(e.path, 40)}` : ''}` };
    case 'evidence-checkpoint': {
      const c = e.checkpoint;
      // Every field in the one line, so chat and mail receivers keep the whole anchor too.
      return { ...base, checkpoint: c,
        summary: `Evidence checkpoint: entry ${c.seq}, head ${c.hash}, at ${c.at}, key ${c.keyFingerprint}, signature ${c.signature}` };
    }
  }
}

/** `tracer alerts test`: clearly a test, in the shape of a real hit alert. */
export function sampleAlert(id: string, baseUrl: string, at: string): Alert {
  return {
    id, event: 'hit-stored', severity: 'high', occurredAt: at, test: true,
    summary: 'Test alert from canary-tracer: Canary in channel Example channel called by +15555550100 (Example Caller) 11 min after planting',
    channel: 'Example channel', channels: [{ id: 'ch_example', name: 'Example channel', verdict: 'leaking' }], canaryNumberLast4: '0100',
    caller: { number: '+15555550100', name: 'Example Caller' }, verdict: 'leaking', url: `${baseUrl}/hits/hit_example`, hitId: 'hit_example', digest: null,
  };
}
