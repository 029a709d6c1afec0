import { AppError } from '../errors.ts';

// Keyset pagination, shared by every list that can grow. A cursor is opaque to the caller: the
// sort key of the last item it saw, tagged with the list it belongs to. Repositories ask for one
// row more than the page to know whether another page follows; never OFFSET, never everything.

export type CursorKey = Array<string | number>;

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

export function encodeCursor(list: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

/** The sort key a cursor carries; a cursor from another list, or not a cursor at all, is refused. */
export function decodeCursor(list: string, cursor: string | undefined, arity: number): CursorKey | null {
  if (cursor === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const ok = Array.isArray(parsed) && parsed.length === arity + 1 && parsed[0] === list &&
    parsed.slice(1).every((k) => typeof k === 'string' || typeof k === 'number');
  if (!ok) throw new AppError('invalid-cursor', `cursor: not a cursor of this ${list} list (pass back nextCursor as it was given)`, 400);
  return (parsed as CursorKey).slice(1);
}

/** rows: up to limit + 1 rows in key order. */
export function pageOf<R, T>(list: string, rows: R[], limit: number, keyOf: (r: R) => CursorKey, map: (r: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(map), nextCursor: more ? encodeCursor(list, keyOf(kept[kept.length - 1]!)) : null };
}

export const pageLimit = (p: PageRequest) => Math.min(Math.max(1, p.limit ?? DEFAULT_PAGE), MAX_PAGE);

/** Every item of a paged list, one page in memory at a time (CLI exports stream from this). */
export async function* allPages<T>(fetch: (cursor: string | undefined) => Page<T> | Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
