import type { Request } from 'express';
import { z } from 'zod';

// Every body and query is a strict schema: a field nobody asked for is refused (unknown-field),
// never silently dropped. Query strings are text, so their booleans and numbers are spelled out.

/** The request body against a strict schema; an absent body is `{}`. */
export function bodyOf<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return schema.parse(req.body ?? {});
}

/** The query string against a strict schema. */
export function queryOf<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return schema.parse({ ...(req.query as Record<string, unknown>) });
}

/** Routes that take no query string still refuse one (a misspelt filter must not read as "no filter"). */
export const noQuery = z.strictObject({});
export const noBody = z.strictObject({});

/** "true" / "false" in a query string; anything else is refused. */
export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A whole number in a query string: "10", not "10.5" or "1e3". */
export const queryInt = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

/** limit and cursor, on every list that can grow (see src/store/paging.ts). */
export const pageQuery = {
  limit: queryInt(1, 1000).optional(),
  cursor: z.string().min(1).max(500).optional(),
};

/** An instant with its offset, compared as the store keeps instants: UTC ISO strings. */
export const instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

/** since/until on lists by time: since inclusive, until exclusive. */
export const timeRange = { since: instant.optional(), until: instant.optional() };

/** The page's fields, for handing on to a repository. */
export const pageOfQuery = (q: { limit?: number; cursor?: string }) => ({ limit: q.limit, cursor: q.cursor });
