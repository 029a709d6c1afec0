import type { ChannelVerdict, Report } from '../attribution/report.ts';
import { csvRows } from './csv.ts';

// The attribution report as rows for spreadsheets and scripts: one row per channel, page after
// page of the report (never one array of every channel), CSV cells neutralised, optional BOM.

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const COLUMNS = ['channelId', 'name', 'kind', 'verdict', 'probability', 'exposedCanaries', 'canariesCalled', 'hits', 'firstContactMinutes',
  'partyNumber', 'partyName', 'callersTotal', 'reasons', 'evidenceHitIds'];

const row = (c: ChannelVerdict) => [c.channelId, c.name, c.kind, c.verdict, c.probability, c.exposedCanaries, c.canariesCalled, c.hits,
  c.firstContactMinutes, c.party?.number ?? null, c.party?.name ?? null, c.callersTotal, c.reasons.join(' | '), c.hitIds.join(' ')];

export async function exportReport(report: (q: { limit?: number; cursor?: string }) => Report | Promise<Report>, format: ExportFormat, write: (chunk: string) => Promise<void> | void, o: { bom?: boolean } = {}): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  let first = true;
  do {
    const page = await report({ limit: 500, cursor });
    if (format === 'csv') await write(csvRows(page.channels.map(row), first ? COLUMNS : null, first && o.bom));
    else for (const c of page.channels) await write(`${JSON.stringify(c)}\n`);
    n += page.channels.length;
    first = false;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return n;
}
