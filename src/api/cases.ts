import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { z } from 'zod';
import type { Services } from '../app.ts';
import type { Actor } from '../cases/index.ts';
import { principalOf, requirePermission } from './auth.ts';

// /api/v1/cases: investigators and admins work cases (the `evidence:read` grant; seeders do not).
// Acts are logged and registry reads audited inside the cases area, not here.

const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).optional(), cursor: z.string().max(200).optional() });
const reportQuery = z.strictObject({ format: z.enum(['html', 'pdf']).default('html'), lang: z.enum(['ar', 'en']).default('en') });
const bundleBody = z.strictObject({ lang: z.enum(['ar', 'en']).default('en'), fullLog: z.boolean().default(false), bom: z.boolean().default(false) });

export const actorOf = (req: express.Request): Actor => {
  const p = principalOf(req);
  return { actor: p.label ? `${p.label} [${p.tokenId}]` : p.tokenId, role: p.role };
};

export function casesRouter(s: Services): express.Router {
  const r = express.Router();
  const work = requirePermission('evidence:read');
  const id = (req: express.Request) => String(req.params.id);

  r.post('/cases', work, (req, res) => {
    res.status(201).json(s.cases.create(req.body ?? {}, actorOf(req)));
  });
  r.get('/cases', work, (req, res) => {
    res.json(s.cases.list(listQuery.parse(req.query)));
  });
  r.get('/cases/:id', work, (req, res) => {
    res.json(s.cases.detail(id(req)));
  });
  r.patch('/cases/:id', work, (req, res) => {
    res.json(s.cases.update(id(req), req.body ?? {}, actorOf(req)));
  });
  r.post('/cases/:id/links', work, (req, res) => {
    res.json(s.cases.link(id(req), req.body ?? {}, actorOf(req)));
  });
  r.post('/cases/:id/notes', work, (req, res) => {
    res.status(201).json(s.cases.addNote(id(req), req.body ?? {}, actorOf(req)));
  });
  r.get('/cases/:id/report', work, async (req, res) => {
    const q = reportQuery.parse(req.query);
    const body = await s.caseReports.produce(id(req), q, actorOf(req));
    res.type(q.format === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8');
    if (q.format === 'pdf') res.attachment(`case-${id(req)}-${q.lang}.pdf`);
    res.send(body);
  });
  r.post('/cases/:id/bundle', work, async (req, res) => {
    const o = bundleBody.parse(req.body ?? {});
    s.cases.mustGet(id(req));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracer-bundle-'));
    const file = path.join(dir, `case-${id(req)}.zip`);
    try {
      const made = await s.exportBundle(id(req), file, actorOf(req), o);
      res.attachment(path.basename(file)).type('application/zip');
      res.set('X-Bundle-Manifest-Sha256', made.manifestSha256);
      await new Promise<void>((resolve, reject) => res.sendFile(file, (err) => (err ? reject(err) : resolve())));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  return r;
}
