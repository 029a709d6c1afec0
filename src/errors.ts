// One error class for everything a user can cause. Entry points translate it in one place:
// HTTP status + {error, message}, or one CLI line and a non-zero exit.

export type ErrorCode =
  | 'invalid-request'
  | 'invalid-json'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'not-found'
  | 'unauthenticated'
  | 'forbidden'
  | 'conflict'
  | 'number-pool-exhausted'
  | 'planting-failed'
  | 'invalid-signature'
  | 'invalid-config'
  | (string & {});

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = 400,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, id: string) =>
  new AppError('not-found', `${what} ${JSON.stringify(id)} does not exist`, 404);

/** Turns a zod error into one readable line: "channelIds: expected array". */
export function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}
