import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, fromZod } from '../errors.ts';
import { IdentityError } from '../identities/index.ts';
import type { Logger } from '../log.ts';

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
  if (err instanceof ZodError) return fromZod(err);
  const type = (err as { type?: string }).type;
  if (type === 'entity.parse.failed') return new AppError('invalid-json', 'the request body is not valid JSON', 400);
  if (type === 'entity.too.large') return new AppError('payload-too-large', 'the request body is over 100 kB', 413);
  if (type === 'parameters.too.many') return new AppError('payload-too-large', 'too many parameters', 413);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('unsupported-media-type', 'unsupported body encoding', 415);
  }
  return new AppError('internal', 'internal error', 500);
}
