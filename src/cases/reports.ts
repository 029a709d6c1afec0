import type { Db } from '../store/db.ts';
import { entriesAbout, logHead } from '../evidence/slice.ts';
import type { InstanceKey } from '../keys/instance-key.ts';
import { buildCaseReportData, type CaseReportData, type ReportSource } from './report-data.ts';
import { printPdf, renderCaseReportHtml } from './render.ts';
import type { Lang } from './report-text.ts';
import type { Actor, CaseService } from './service.ts';

export type ReportFormat = 'html' | 'pdf';

export interface CaseReportDeps {
  db: Db;
  cases: CaseService;
  /** The attribution report: services.report, or the off-thread one where there is one. */
  report: ReportSource;
  clock: () => Date;
  key: () => InstanceKey;
  chromiumPath?: string;
}

/** The case report, as HTML or PDF, in Arabic or English; producing one is an act on the case. */
export class CaseReports {
  constructor(private readonly d: CaseReportDeps) {}

  async data(caseId: string, who: Actor, evidenceManifestSha256: string | null = null): Promise<CaseReportData> {
    const head = logHead(this.d.db);
    return buildCaseReportData(this.d.db, this.d.cases, caseId, this.d.report, {
      headHash: head.hash, headSeq: head.seq, evidenceManifestSha256, producedBy: who.actor,
      producedAt: this.d.clock().toISOString(), keyFingerprint: this.d.key().fingerprint,
    }, (id) => entriesAbout(this.d.db, id, 'case-'));
  }

  async render(data: CaseReportData, lang: Lang, format: ReportFormat): Promise<Buffer> {
    const html = renderCaseReportHtml(data, lang);
    return format === 'html' ? Buffer.from(html, 'utf8') : printPdf(html, this.d.chromiumPath);
  }

  /** A report on its own (not in a bundle): recorded in the evidence log with the head it reports. */
  async produce(caseId: string, o: { lang: Lang; format: ReportFormat }, who: Actor): Promise<Buffer> {
    const data = await this.data(caseId, who);
    const out = await this.render(data, o.lang, o.format);
    this.d.cases.recordAct(caseId, 'case-report', who, { lang: o.lang, format: o.format, headSeq: data.custody.headSeq, headHash: data.custody.headHash });
    return out;
  }
}
