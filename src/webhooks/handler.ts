import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, describeIssues } from '../errors.ts';
import { smsParams, statusParams, voiceParams } from '../hits/params.ts';
import type { Logger } from '../log.ts';
import type { Forgery, WebhookService } from './service.ts';
import { BodyTooLarge, discardBody, isTwilioSigned, isTwilioSignedBytes, isUtf8Form, parseForm, plausibleSignature, readBody, type FormParams } from './form.ts';

const MAX_PARAMS = 1000;
const MAX_BODY_BYTES = 100 * 1024;
/** Above this (or with no Content-Length), a body whose signature cannot match is not read into memory. */
const UNREAD_FORGERY_BYTES = 8 * 1024;

export interface WebhookOptions {
  authToken: string;
  publicBaseUrl: string;
  log: Logger;
}

type Route = (service: WebhookService, params: FormParams, res: ServerResponse) => Promise<void>;

const ROUTES: Record<string, Route> = {
  '/twilio/voice': async (service, params, res) => sendXml(res, await service.inboundCall(parse(voiceParams, params), params)),
  '/twilio/sms': async (service, params, res) => sendXml(res, await service.inboundSms(parse(smsParams, params), params)),
  '/twilio/status': async (service, params, res) => {
    await service.statusCallback(parse(statusParams, params), params);
    res.writeHead(204).end();
  },
};

/**
 * Twilio's side door, on plain node:http: it is the hot path (`npm run bench`) and needs nothing
 * a framework adds. Every request is checked against X-Twilio-Signature for the public URL it was
 * sent to; a forgery is a security event and never a hit. Answers go out only after the hit has
 * been committed.
 */
export function webhookHandler(service: WebhookService, o: WebhookOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const path = (req.url ?? '/').split('?', 1)[0]!;
      const route = ROUTES[path];
      if (!route) throw new AppError('not-found', `no webhook at ${path}`, 404);
      if (req.method !== 'POST') throw new AppError('method-not-allowed', 'Twilio webhooks are POSTed', 405);
      if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
        throw new AppError('unsupported-media-type', 'Twilio webhooks are application/x-www-form-urlencoded', 400);
      }
      const signature = header(req, 'x-twilio-signature');
      // A large body whose signature cannot match is not buffered at all: read past and counted.
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (!plausibleSignature(signature) && !(declared <= UNREAD_FORGERY_BYTES)) {
        const bytes = await discardBody(req, MAX_BODY_BYTES);
        if (bytes > MAX_BODY_BYTES) throw new AppError('payload-too-large', 'the request body is over 100 kB', 413);
        const url = o.publicBaseUrl + (req.url ?? '');
        return refuseForgery(service, res, { path, req, url, body: null, bytes, utf8: true, reason: signature ? 'signature-mismatch' : 'signature-missing' });
      }
      const body = await readRaw(req);
      const utf8 = isUtf8Form(body);
      const url = o.publicBaseUrl + (req.url ?? '');
      // A signature that cannot be an HMAC-SHA1 is refused before the body is even parsed: a
      // flood of forgeries costs a read, a UTF-8 check and a counter, never a hash or a throw.
      if (!plausibleSignature(signature)) {
        return refuseForgery(service, res, { path, req, url, body, utf8, reason: !utf8 ? 'invalid-encoding' : signature ? 'signature-mismatch' : 'signature-missing' });
      }
      const params = paramsOf(body);
      // A genuine signed request is stored even when its text is not UTF-8 (Twilio must never get
      // a 4xx for a call we could keep): the bytes go into raw as sent, beside the decoded view.
      const genuine = isTwilioSigned(o.authToken, signature, url, params) ||
        (!utf8 && isTwilioSignedBytes(o.authToken, signature, url, body));
      if (!genuine) return refuseForgery(service, res, { path, req, url, body, utf8, reason: !utf8 ? 'invalid-encoding' : 'signature-mismatch', params });
      await route(service, utf8 ? params : { ...params, tracerRawBodyBase64: body.toString('base64') }, res);
    } catch (err) {
      sendError(res, err, o.log, req);
    }
  };
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  try {
    return await readBody(req, MAX_BODY_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLarge) throw new AppError('payload-too-large', 'the request body is over 100 kB', 413);
    throw err;
  }
}

function paramsOf(body: Buffer): FormParams {
  const params = parseForm(body.toString('utf8'), MAX_PARAMS);
  if (!params) throw new AppError('payload-too-large', `more than ${MAX_PARAMS} parameters`, 413);
  return params;
}

// Strings, not Buffers: node:http sends a string body in the same write as the head (one syscall,
// not a writev of two), which on loopback is a sixth of a forgery's cost. ASCII, so length = bytes.
const FORGED = JSON.stringify({ error: 'invalid-signature', message: 'X-Twilio-Signature does not match this request' });
const NOT_UTF8 = JSON.stringify({ error: 'invalid-encoding', message: 'the webhook body is not valid UTF-8' });

/**
 * A forgery: counted (in memory; written with the others once a second) and answered from a
 * prepared body, with no error object, stack or log line. Parameters are parsed only if this
 * kind's sample is kept.
 */
function refuseForgery(service: WebhookService, res: ServerResponse, f: {
  path: string; req: IncomingMessage; url: string; body: Buffer | null; bytes?: number; utf8: boolean; reason: Forgery['reason']; params?: FormParams;
}): void {
  const body = f.body;
  service.recordForgery({
    path: f.path, remoteAddr: clientAddress(f.req), reason: f.reason, url: f.url,
    params: () => f.params ?? (body ? parseForm(body.toString('utf8'), MAX_PARAMS) ?? { tracerTooManyParams: 'true' } : { tracerBodyNotRead: `${f.bytes} bytes` }),
  });
  const answer = f.utf8 ? FORGED : NOT_UTF8;
  res.writeHead(f.utf8 ? 403 : 400, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': answer.length });
  res.end(answer, 'latin1');
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: any[] } } }, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new AppError('invalid-webhook', `webhook parameters: ${describeIssues(r.error.issues)}`, 400);
  return r.data;
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The peer, or — behind a proxy on this host — the client it names. */
function clientAddress(req: IncomingMessage): string | null {
  const peer = req.socket.remoteAddress ?? null;
  const forwarded = header(req, 'x-forwarded-for');
  const loopback = peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1';
  return loopback && forwarded ? forwarded.split(',')[0]!.trim().slice(0, 64) : peer;
}

function sendXml(res: ServerResponse, twiml: string): void {
  res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(twiml) });
  res.end(twiml);
}

/** Same contract as the API's error middleware: a stable code, a message, never internals. */
function sendError(res: ServerResponse, err: unknown, log: Logger, req: IncomingMessage): void {
  const e = err instanceof AppError ? err : new AppError('internal', 'internal error', 500);
  if (e.status >= 500) log.error({ err, path: req.url, method: req.method }, 'webhook failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: e.code, message: e.message });
  res.writeHead(e.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
