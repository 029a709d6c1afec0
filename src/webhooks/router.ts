import express, { type Request, type Response, type NextFunction } from 'express';
import { AppError, describeIssues } from '../errors.ts';
import { smsParams, statusParams, voiceParams } from '../hits/params.ts';
import type { WebhookService } from './service.ts';
import { BodyTooLarge, isTwilioSigned, parseForm, readBody, type FormParams } from './form.ts';

const MAX_PARAMS = 1000;
const MAX_BODY_BYTES = 100 * 1024;

export interface WebhookRouterOptions {
  authToken: string;
  publicBaseUrl: string;
}

/**
 * Twilio's side door. Every request is checked against X-Twilio-Signature for the public URL it
 * was sent to; a forgery is a security event and never a hit. Answers go out only after the hit
 * has been committed.
 */
export function webhookRouter(service: WebhookService, o: WebhookRouterOptions): express.Router {
  const router = express.Router();
  router.use(requireForm, async (req, _res, next) => {
    let body: string;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge) return next(new AppError('payload-too-large', 'the request body is over 100 kB', 413));
      return next(err);
    }
    const params = parseForm(body, MAX_PARAMS);
    if (!params) return next(new AppError('payload-too-large', `more than ${MAX_PARAMS} parameters`, 413));
    req.body = params;
    next();
  });
  router.use((req, res, next) => {
    const url = o.publicBaseUrl + req.originalUrl;
    const signature = req.header('X-Twilio-Signature');
    const params = req.body as FormParams;
    if (isTwilioSigned(o.authToken, signature, url, params)) return next();
    service.recordForgery({
      path: req.path,
      remoteAddr: req.ip ?? null,
      reason: signature ? 'signature-mismatch' : 'signature-missing',
      url,
      params,
    });
    res.status(403).type('text/plain').send('forbidden');
  });

  router.post('/voice', async (req, res) => {
    const p = parse(voiceParams, req.body);
    sendXml(res, await service.inboundCall(p, req.body));
  });

  router.post('/sms', async (req, res) => {
    const p = parse(smsParams, req.body);
    sendXml(res, await service.inboundSms(p, req.body));
  });

  router.post('/status', async (req, res) => {
    const p = parse(statusParams, req.body);
    await service.statusCallback(p, req.body);
    res.status(204).end();
  });
  return router;
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: any[] } } }, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new AppError('invalid-webhook', `webhook parameters: ${describeIssues(r.error.issues)}`, 400);
  return r.data;
}

/** TwiML out, with nothing express would add per request (ETag, freshness checks). */
function sendXml(res: Response, twiml: string): void {
  res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(twiml) });
  res.end(twiml);
}

function requireForm(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/x-www-form-urlencoded')) {
    next(new AppError('unsupported-media-type', 'Twilio webhooks are application/x-www-form-urlencoded', 400));
    return;
  }
  next();
}
