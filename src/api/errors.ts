import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, fromZod } from '../errors.ts';
import { IdentityError } from '../identities/index.ts';
import type { Logger } from '../log.ts';
import { NotUtf8Text } from '../text/unicode.ts';

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not-found', `no route for ${req.method} ${req.path}`, 404));
};

/** The one place errors become HTTP answers. Internals never leave the process. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toAppError(err);
    if (e.status >= 500) log.error({ err, reqId: req.id, path: req.path, method: req.method }, 'request failed');
    if (res.headersSent) return;
    res.status(e.status).json({ error: e.code, message: e.message });
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof IdentityError) return new AppError(err.code, err.message, 400);
  if (err instanceof NotUtf8Text) return new AppError('invalid-encoding', 'a string in the request body is not valid UTF-8 text', 400);
  if (err instanceof ZodError) return fromZod(err);
  const type = (err as { type?: string }).type;
  if (type === 'entity.parse.failed') return new AppError('invalid-json', 'the request body is not valid JSON', 400);
  if (type === 'entity.too.large') return new AppError('payload-too-large', 'the request body is over 100 kB', 413);
  if (type === 'parameters.too.many') return new AppError('payload-too-large', 'too many parameters', 413);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('unsupported-media-type', 'unsupported body encoding', 415);
  }
  return clientError(err) ?? new AppError('internal', 'internal error', 500);
}

// What body-parser, the router and node set on a client's mistake: its status is the truth, our
// code names it. Only 4xx are honoured; the message is ours, never the library's (no internals).
const CLIENT_CODES: Record<number, [string, string]> = {
  400: ['bad-request', 'the request is malformed'],
  404: ['not-found', 'not found'],
  405: ['method-not-allowed', 'method not allowed'],
  408: ['request-timeout', 'the request body did not arrive in time'],
  411: ['length-required', 'a Content-Length is required'],
  413: ['payload-too-large', 'the request body is too large'],
  414: ['uri-too-long', 'the URL is too long'],
  415: ['unsupported-media-type', 'unsupported media type'],
  431: ['headers-too-large', 'the request headers are too large'],
};

function clientError(err: unknown): AppError | undefined {
  if (err instanceof URIError) return new AppError('invalid-url', 'the URL holds malformed percent-encoding', 400);
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; code?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status > 499) return undefined;
  if (e.type === 'request.aborted') return new AppError('request-aborted', 'the request was aborted before its body arrived', 400);
  if (e.type === 'request.size.invalid') return new AppError('invalid-request', 'the body does not match its Content-Length', 400);
  if (status === 400 && typeof e.code === 'string' && e.code.startsWith('Z_')) {
    return new AppError('invalid-content-encoding', 'the body is not encoded as its Content-Encoding says', 400);
  }
  const [code, message] = CLIENT_CODES[status] ?? ['bad-request', 'the request was refused'];
  return new AppError(code, message, status);
}
