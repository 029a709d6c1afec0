// What the pages that act (parties, cases) share: who may, how a form's refusal reads, list fields
// from a form, and keyset cursors the reader cannot forge into anything but a position.
import type { Request } from 'express';
import { z } from 'zod';
import { can, type Permission } from '../access/tokens.ts';
import { AppError } from '../errors.ts';

export const may = (req: Request, p: Permission) => can(req.session!.role, p);

/** A refusal the reader can fix (bad input, a rule of the service) as one line; anything else is not ours to show. */
export function formError(err: unknown): string | null {
  if (err instanceof z.ZodError) return err.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ');
  if (err instanceof AppError && err.status >= 400 && err.status < 500 && err.status !== 403) return err.message;
  return null;
}

/** A form field sent once is a string, sent again an array (urlencoded, not extended); blanks dropped. */
export const listOf = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());

/** Newest-first keyset cursor on (createdAt, id). */
export function pageCursor(list: string) {
  return {
    encode: (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url'),
    decode(cursor: string): { at: string; id: string } {
      try {
        const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
        if (typeof at === 'string' && typeof id === 'string') return { at, id };
      } catch { /* falls through */ }
      throw new AppError('invalid-cursor', `cursor: not a cursor the ${list} list gave`, 400);
    },
  };
}
