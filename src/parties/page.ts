// A party's page: who it is, what it did, which channels it is implicated in. Which canaries it
// reached is a registry read: listed only for roles that may read the registry, and the caller audits it.
import type { Db } from '../store/db.ts';
import type { ReportParty } from './report-view.ts';
import { contactFigures } from './report-view.ts';
import type { PartyDetail } from './service.ts';

export interface PartyPage extends PartyDetail {
  channels: ReportParty['channels'];
  calls: number;
  sms: number;
  firstContact: string | null;
  lastContact: string | null;
  /** Contacts per hour of day (UTC, index 0–23) and per weekday (index 0 = Sunday). */
  activeHours: number[];
  activeDays: number[];
  canariesReached: number;
  /** Only when the reader may read the registry (the read is audited). */
  canaries?: string[];
}

export function partyPage(db: Db, party: PartyDetail, reportParties: ReportParty[], registry: boolean): PartyPage {
  const keys = new Set([party.id, ...party.numbers]);
  const channels = reportParties.filter((p) => keys.has(p.partyId)).flatMap((p) => p.channels);
  const json = JSON.stringify(party.numbers);
  const activeHours = new Array<number>(24).fill(0);
  const activeDays = new Array<number>(7).fill(0);
  for (const [h, d, n] of db.prepare(
    `SELECT CAST(strftime('%H', received_at) AS INTEGER), CAST(strftime('%w', received_at) AS INTEGER), count(*)
     FROM hits WHERE from_number IN (SELECT value FROM json_each(?)) GROUP BY 1, 2`,
  ).raw().all(json) as Array<[number, number, number]>) {
    activeHours[h] = (activeHours[h] ?? 0) + n;
    activeDays[d] = (activeDays[d] ?? 0) + n;
  }
  const canaries = db.prepare(
    `SELECT DISTINCT canary_id FROM hits WHERE canary_id IS NOT NULL AND from_number IN (SELECT value FROM json_each(?)) ORDER BY canary_id`,
  ).pluck().all(json) as string[];
  return {
    ...party, channels, ...contactFigures(db, party.numbers), activeHours, activeDays,
    canariesReached: canaries.length, ...(registry ? { canaries } : {}),
  };
}
