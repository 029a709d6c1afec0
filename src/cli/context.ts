import fs from 'node:fs';
import os from 'node:os';
import { ZodError } from 'zod';
import { createApp, type App } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import { AppError, describeIssues } from '../errors.ts';
import { IdentityError } from '../identities/index.ts';
import { createLogger } from '../log.ts';

/** The CLI reads the same environment as the server, with a local .env file if there is one. */
export function cliConfig(): Config {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  return loadConfig(process.env);
}

/** Opens the tracer on its store, runs fn, closes. Data commands never need the server running. */
export async function withApp<T>(fn: (app: App) => Promise<T> | T): Promise<T> {
  const config = cliConfig();
  const app = createApp({ config, logger: createLogger(process.env.LOG_LEVEL ?? 'warn') });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** Who the audit log names for registry reads made at the console. */
export const consoleActor = () => `cli:${os.userInfo().username}`;

export function print(json: boolean, data: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

/** One clear line on stderr and a non-zero exit: the CLI's whole error contract. */
export function failWith(err: unknown): never {
  let line: string;
  if (err instanceof AppError || err instanceof IdentityError) line = `error: ${err.code}: ${err.message}`;
  else if (err instanceof ZodError) line = `error: invalid-request: ${describeIssues(err.issues)}`;
  else line = `error: internal: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`${line}\n`);
  process.exit(1);
}
