// The dashboard's request plumbing: security headers, preferences, the session, CSRF and roles.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { can, type Permission } from '../access/tokens.ts';
import { AppError } from '../errors.ts';
import { DIGITS, LANGS, isTimeZone, localise, type Digits, type Lang, type Prefs } from './i18n.ts';
import type { DashboardSessions, Session } from './sessions.ts';

declare module 'express-serve-static-core' {
  interface Request {
    session?: Session | null;
    prefs?: Prefs;
  }
}

// No inline script or style anywhere: every script and stylesheet is a file served from /assets.
const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'", "font-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY', 'Cache-Control': 'no-store', 'Cross-Origin-Opener-Policy': 'same-origin',
  });
  next();
};

export interface CookieNames { session: string; loginCsrf: string; secure: boolean }

/** `__Host-` names (Secure, Path=/, no Domain) when the tracer is served over https. */
export const cookieNames = (publicBaseUrl: string): CookieNames => {
  const secure = publicBaseUrl.startsWith('https://');
  return { session: secure ? '__Host-tracer_session' : 'tracer_session', loginCsrf: secure ? '__Host-tracer_login' : 'tracer_login', secure };
};

const PREF_COOKIE = { sameSite: 'lax' as const, path: '/', maxAge: 365 * 24 * 3_600_000 };

/** ?lang=ar|en, ?digits=arab|latn, ?tz=Zone switch and are remembered; otherwise cookie, then the browser's language. */
export function preferences(defaultLang: Lang, secure: boolean): RequestHandler {
  return (req, res, next) => {
    req.cookies = parseCookies(req.headers.cookie ?? '');
    const q = req.query as Record<string, unknown>;
    const pick = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
      const v = typeof q[name] === 'string' ? (q[name] as string) : undefined;
      if (v && (allowed as readonly string[]).includes(v)) {
        res.cookie(name, v, { ...PREF_COOKIE, secure });
        return v as T;
      }
      const c = req.cookies![name];
      return c && (allowed as readonly string[]).includes(c) ? (c as T) : undefined;
    };
    const accept = /^\s*ar\b/i.test(req.header('accept-language') ?? '') ? 'ar' : undefined;
    const lang = pick<Lang>('lang', LANGS) ?? accept ?? defaultLang;
    const digits = pick<Digits>('digits', DIGITS) ?? (lang === 'ar' ? 'arab' : 'latn');
    const qtz = typeof q.tz === 'string' && isTimeZone(q.tz) ? q.tz : undefined;
    if (qtz) res.cookie('tz', qtz, { ...PREF_COOKIE, secure });
    const ctz = req.cookies.tz && isTimeZone(req.cookies.tz) ? req.cookies.tz : undefined;
    req.prefs = { lang, digits, timeZone: qtz ?? ctz ?? 'UTC' };
    next();
  };
}

export function loadSession(sessions: DashboardSessions, names: CookieNames): RequestHandler {
  return (req, _res, next) => {
    req.session = sessions.find(req.cookies?.[names.session]);
    next();
  };
}

/** Pages: signed out → /login; a role without the permission → 403 (and the page is not in its menu). */
/** Marked with what it asks (signIn, permission), so the drills read the dashboard's routes as a table. */
export const requireSignIn = (p?: Permission): RequestHandler & { signIn: true; permission?: Permission } => Object.assign((req: Request, res: Response, next: NextFunction) => {
  const s = req.session;
  if (!s) {
    if (req.header('hx-request')) return void res.status(401).end();
    return void res.redirect(303, `/login?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
  }
  if (p && !can(s.role, p)) return next(new AppError('forbidden', `role ${s.role} may not ${p.replace(':', ' ')}`, 403));
  next();
}, { signIn: true as const, ...(p ? { permission: p } : {}) });

/** Only a local path may be a redirect target after sign-in. */
export const safeNext = (v: unknown): string => (typeof v === 'string' && /^\/(?![/\\])[^\s]*$/.test(v) && !v.startsWith('/login') ? v : '/');

const sameToken = (a: unknown, b: string | undefined) =>
  typeof a === 'string' && typeof b === 'string' && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Every state-changing form carries the session's CSRF token. */
export const requireCsrf: RequestHandler = (req, _res, next) => {
  if (!sameToken(req.body?._csrf, req.session?.csrf)) return next(new AppError('csrf-mismatch', 'the form is stale or was not sent by this dashboard; reload and try again', 403));
  next();
};

/** The sign-in form has no session yet: its token is a double-submit cookie. */
export function loginCsrf(names: CookieNames) {
  return {
    issue(res: Response): string {
      const v = randomBytes(24).toString('base64url');
      res.cookie(names.loginCsrf, v, { httpOnly: true, sameSite: 'strict', secure: names.secure, path: '/', maxAge: 3_600_000 });
      return v;
    },
    check(req: Request): boolean {
      return sameToken(req.body?._csrf, req.cookies?.[names.loginCsrf]);
    },
  };
}

export const localised = (req: Request) => localise(req.prefs!);
