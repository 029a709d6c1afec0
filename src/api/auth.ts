import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.ts';
import { can, type Permission, type Principal, type TokenService } from '../access/tokens.ts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function authenticate(tokens: TokenService): RequestHandler {
  return (req, _res, next) => {
    const header = req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return next(new AppError('unauthenticated', 'send an API token as "Authorization: Bearer <token>"', 401));
    req.principal = tokens.authenticate(m[1]!);
    next();
  };
}

/** The guard names its permission (`.permission`), so the role × route drill can read the route table. */
export function requirePermission(p: Permission): RequestHandler & { permission: Permission } {
  const guard: RequestHandler = (req, _res, next) => {
    const who = req.principal;
    if (!who) return next(new AppError('unauthenticated', 'no API token', 401));
    if (!can(who.role, p)) return next(new AppError('forbidden', `role ${who.role} may not ${p.replace(':', ' ')}`, 403));
    next();
  };
  return Object.assign(guard, { permission: p });
}

export const principalOf = (req: Request): Principal => req.principal!;
