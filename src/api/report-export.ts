import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import { EXPORT_FORMATS, exportReport } from '../exports/report.ts';
import { requirePermission } from './auth.ts';

const exportQuery = z.strictObject({ format: z.enum(EXPORT_FORMATS), bom: z.enum(['true', 'false']).optional() });

/** GET /report?format=csv|jsonl: the report streamed as rows. Without `format`, the JSON report route answers. */
export function reportExportRouter(s: Services): express.Router {
  const r = express.Router();
  r.get('/report', requirePermission('report:read'), async (req, res, next) => {
    if (req.query.format === undefined) return next();
    const q = exportQuery.parse(req.query);
    // attachment() first: it sets a type from the file name (none known for .jsonl), which type() then replaces.
    res.attachment(`report.${q.format}`);
    res.type(q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    await exportReport((p) => s.report(p), q.format, (chunk) => new Promise<void>((resolve) => (res.write(chunk) ? resolve() : res.once('drain', resolve))), { bom: q.bom === 'true' });
    res.end();
  });
  return r;
}
