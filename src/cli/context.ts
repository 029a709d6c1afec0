// What every command shares, and nothing heavy: the store, the app and the network are loaded
// inside actions (see session.ts), so `tracer --help` and a read command start fast.
import { z } from 'zod';
import type { Permission } from '../access/tokens.ts';
import { AppError, fromZod } from '../errors.ts';
import type { App } from '../app.ts';
import type { Config } from '../config.ts';
import type { Actor, Session } from './session.ts';

export type { Actor, Session };

/** The CLI reads the same environment as the server, with a local .env file if there is one. */
export async function cliConfig(): Promise<Config> {
  return (await import('./session.ts')).cliConfig();
}

/**
 * Opens the whole tracer (every service) as the acting identity, runs fn, closes. For commands that
 * change things. `need` is the permission the acting token must hold (the API's for the same act);
 * without it, any acting identity may run fn.
 */
export async function withApp<T>(fn: (app: App, actor: Actor) => Promise<T> | T): Promise<T>;
export async function withApp<T>(need: Permission, fn: (app: App, actor: Actor) => Promise<T> | T): Promise<T>;
export async function withApp<T>(a: Permission | ((app: App, actor: Actor) => Promise<T> | T), b?: (app: App, actor: Actor) => Promise<T> | T): Promise<T> {
  const [need, fn] = typeof a === 'function' ? [null, a] : [a, b!];
  return (await import('./session.ts')).withApp(need, fn);
}

/** The local operator's name in the audit log when no TRACER_TOKEN is set; commands use the actor withApp hands them. */
export const consoleActor = () => `cli:${process.env.USER ?? process.env.USERNAME ?? 'operator'}`;

/** Opens only the store and its repositories: reads that need no targets, provider or sample database. */
export async function withStore<T>(need: Permission, fn: (s: Session) => Promise<T> | T): Promise<T> {
  return (await import('./session.ts')).withStore(need, fn);
}

export function print(json: boolean, data: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

/** A whole number flag: "5", never "1.5" or "5x". */
export const intFlag = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

/** An instant flag (ISO 8601 with offset), kept as the store keeps instants. */
export const instantFlag = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 instant with offset, e.g. 2026-12-01T00:00:00Z' })
  .transform((v) => new Date(v).toISOString());

const flagName = (key: PropertyKey) => `--${String(key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * A command's flags against a strict schema: the error names the flag as typed (`--count: expected
 * a whole number`), so a script's typo fails instead of running with a default.
 */
export function flags<S extends z.ZodType>(schema: S, options: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const e = fromZod(parsed.error);
  if (e.code === 'unknown-field') throw e;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? `${flagName(issue.path[0]!)}${issue.path.slice(1).map((p) => `.${String(p)}`).join('')}: ` : '';
  throw new AppError('invalid-request', `${where}${issue.message}`);
}

export { failWith } from './fail.ts';
