// A verdict is judged when reading, so "the verdict changed" is found by reading: each refresh (the
// alerts area asks when hits arrive) compares every channel's verdict with the one last published and
// publishes `verdict-changed` for each that moved, in the transaction that records the new one.
import type { Db } from '../store/db.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { publishEvent } from '../alerts/events.ts';
import type { Report, ReportQuery, Verdict } from './report.ts';

const NEWS = new Set<Verdict>(['leaking', 'suspect']);

export class VerdictWatch {
  private readonly lastStmt;
  private readonly saveStmt;

  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly clock: () => Date,
    private readonly report: (q: ReportQuery) => Promise<Report>,
  ) {
    this.lastStmt = db.prepare('SELECT channel_id, verdict FROM published_verdicts');
    this.saveStmt = db.prepare(`INSERT INTO published_verdicts (channel_id, verdict, probability, at) VALUES (?, ?, ?, ?)
      ON CONFLICT (channel_id) DO UPDATE SET verdict = excluded.verdict, probability = excluded.probability, at = excluded.at`);
  }

  /** Every channel's verdict now (all pages), publishing the changes. */
  async refresh(): Promise<{ channels: Array<{ channelId: string; verdict: Verdict }> }> {
    const channels: Report['channels'] = [];
    let cursor: string | undefined;
    do {
      const page = await this.report({ limit: 1000, cursor });
      channels.push(...page.channels);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const last = new Map(this.lastStmt.raw().all() as Array<[string, Verdict]>);
    const at = this.clock().toISOString();
    const changed = channels.filter((c) => last.get(c.channelId) !== c.verdict);
    if (changed.length > 0) {
      this.db.transaction(() => {
        for (const c of changed) {
          this.saveStmt.run(c.channelId, c.verdict, c.probability, at);
          // News is a channel becoming (or ceasing to be) leaking or suspect; moves among no-data,
          // undetermined and clean are recorded without an alert.
          const from = last.get(c.channelId);
          if (!NEWS.has(c.verdict) && !(from && NEWS.has(from))) continue;
          publishEvent(this.outbox, {
            kind: 'verdict-changed', channelId: c.channelId, from: last.get(c.channelId) ?? null, to: c.verdict,
            probability: c.probability, hitIds: c.hitIds.slice(0, 5), reason: c.reasons[0]?.slice(0, 500),
          }, at);
        }
      })();
    }
    return { channels: channels.map((c) => ({ channelId: c.channelId, verdict: c.verdict })) };
  }
}
