// One error class for everything a user can cause. Entry points translate it in one place:
// HTTP status + {error, message}, or one CLI line and a non-zero exit.

export type ErrorCode =
  | 'invalid-request'
  | 'invalid-json'
  | 'unknown-field'
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

/**
 * A zod failure as the user's error: a field nobody asked for is `unknown-field` naming it (a typo
 * such as `dry_run` must not be taken as "no dry run"), anything else `invalid-request`.
 */
export function fromZod(err: { issues: ReadonlyArray<{ code: string; path: PropertyKey[]; message: string; keys?: string[] }> }): AppError {
  const unknown = err.issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown) {
    const names = (unknown.keys ?? []).map((k) => [...unknown.path.map(String), k].join('.'));
    return new AppError('unknown-field', `unknown field${names.length === 1 ? '' : 's'}: ${names.join(', ')}`, 400, { fields: names });
  }
  return new AppError('invalid-request', describeIssues(err.issues), 400);
}

/** Turns a zod error into one readable line: "channelIds: expected array". */
export function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}
