// The CLI's error contract, loaded by main before any command: nothing here may pull in zod or the app.
import { AppError, fromZod } from '../errors.ts';
import { IdentityError } from '../identities/errors.ts';

type ZodLike = { issues: Array<{ code: string; path: PropertyKey[]; message: string; keys?: string[] }> };
const isZodError = (err: unknown): err is ZodLike => (err as { name?: string })?.name === 'ZodError' && Array.isArray((err as ZodLike).issues);

/** Errors that have a known fix say the fix, not the system call that failed. */
function explain(err: unknown): string | null {
  const e = err as { code?: string; port?: number; cause?: { code?: string; address?: string; port?: number } };
  if (e?.code === 'EADDRINUSE') return `port-in-use: port ${e.port ?? '(PORT)'} is in use: set PORT to a free port, or stop what listens there`;
  const cause = e?.cause?.code ?? e?.code;
  if (cause === 'ECONNREFUSED' || cause === 'ENOTFOUND' || cause === 'ECONNRESET') {
    const where = (err as { url?: string }).url ?? (e.cause?.address ? `http://${e.cause.address}:${e.cause.port}` : 'the given URL');
    return `server-unreachable: no tracer server at ${where}: start one with \`tracer serve\``;
  }
  return null;
}

/** One clear line on stderr and a non-zero exit: the CLI's whole error contract. */
export function failWith(err: unknown): never {
  let line: string;
  if (err instanceof AppError || err instanceof IdentityError) {
    line = `error: ${err.code}: ${err.message}`;
  } else if (isZodError(err)) {
    const e = fromZod(err);
    line = `error: ${e.code}: ${e.message}`;
  } else {
    const fix = explain(err);
    line = fix ? `error: ${fix}` : `error: internal: ${err instanceof Error ? err.message : String(err)}`;
  }
  process.stderr.write(`${line.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?')}\n`);
  process.exit(1);
}
