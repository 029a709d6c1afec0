// The CLI's identity and the two ways a command opens the tracer. Loaded on demand by context.ts.
import fs from 'node:fs';
import os from 'node:os';
import { can, RegistryAudit, TokenService, type Permission, type Role } from '../access/tokens.ts';
import { loadConfig, type Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { openTracerDb, type Db } from '../store/db.ts';
import type { App } from '../app.ts';

/** Who a command acts as: the token named by TRACER_TOKEN, or the local admin (see README, "Who the CLI acts as"). */
export interface Actor {
  /** What the audit log and the evidence log name: the token's id, or cli:<user>. */
  id: string;
  role: Role;
  viaToken: boolean;
}

export interface Session {
  db: Db;
  config: Config;
  actor: Actor;
  audit: RegistryAudit;
  tokens: TokenService;
  clock: () => Date;
}

export function cliConfig(): Config {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  return loadConfig(process.env);
}

/** TRACER_TOKEN set: its role and id, checked like an API call. Unset: the local operator, as admin. */
function resolveActor(tokens: TokenService, need: Permission | null): Actor {
  const token = process.env.TRACER_TOKEN?.trim();
  const actor: Actor = token
    ? (({ tokenId, role }) => ({ id: tokenId, role, viaToken: true }))(tokens.authenticate(token))
    : { id: `cli:${os.userInfo().username}`, role: 'admin', viaToken: false };
  if (need && !can(actor.role, need)) {
    throw new AppError('forbidden', `role ${actor.role} (TRACER_TOKEN ${actor.id}) may not ${need.replace(':', ' ')}`, 403);
  }
  return actor;
}

export async function withStore<T>(need: Permission, fn: (s: Session) => Promise<T> | T): Promise<T> {
  const config = cliConfig();
  const db = openTracerDb(config.tracerDb);
  const clock = () => new Date();
  try {
    const tokens = new TokenService(db, clock);
    return await fn({ db, config, clock, tokens, audit: new RegistryAudit(db, clock), actor: resolveActor(tokens, need) });
  } finally {
    db.close();
  }
}

export async function withApp<T>(need: Permission | null, fn: (app: App, actor: Actor) => Promise<T> | T): Promise<T> {
  const config = cliConfig();
  const [{ createApp }, { createLogger }] = await Promise.all([import('../app.ts'), import('../log.ts')]);
  const app = createApp({ config, logger: createLogger(process.env.LOG_LEVEL ?? 'warn') });
  try {
    return await fn(app, resolveActor(app.services.tokens, need));
  } finally {
    await app.close();
  }
}
