import { AppError } from '../errors.ts';

// Opaque cursors: the position of the last row a page returned. Clients pass them back untouched.
export const encodeCursor = (position: number): string => Buffer.from(`p:${position}`).toString('base64url');

export function decodeCursor(cursor: string): number {
  const m = /^p:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new AppError('invalid-cursor', 'cursor is not one this API returned', 400);
  return Number(m[1]);
}
