// Dashboard sign-in: sessions kept server-side (so sign-out and expiry are real) and passwords an
// admin set up, hashed with scrypt from node:crypto (slow on purpose, salted, compared in constant time).
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { Db } from '../store/db.ts';
import { AppError } from '../errors.ts';
import { randomId } from '../ids.ts';
import { ROLES, type Principal, type Role, type TokenService } from '../access/tokens.ts';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, o: { N: number; r: number; p: number }) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1 };
const KEY_LEN = 32;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface Session extends Principal {
  csrf: string;
  expiresAt: string;
}

export const newUserInput = z.strictObject({
  username: z.string().trim().min(3).max(64).regex(/^[\p{L}\p{N}._-]+$/u, 'letters, digits, dot, dash, underscore'),
  role: z.enum(ROLES),
  password: z.string().min(12, 'at least 12 characters').max(200),
});

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LEN, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const want = Buffer.from(key, 'base64');
  const got = await scrypt(password, Buffer.from(salt, 'base64'), want.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(got, want);
}

// Compared against when the username is unknown, so a wrong name costs as long as a wrong password.
const FAILURE_LIMIT = 5;
const LOCKOUT_MINUTES = 15;

const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LEN).toString('base64')}`;

export class DashboardSessions {
  /** Failed password sign-ins per user name: a guessable password must not be guessable online. */
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly db: Db,
    private readonly tokens: TokenService,
    private readonly clock: () => Date,
    private readonly ttlMinutes: number,
  ) {}

  async signInWithToken(token: string): Promise<{ id: string; session: Session }> {
    const who = this.tokens.authenticate(token);
    return this.open(who, 'token');
  }

  async signInWithPassword(username: string, password: string): Promise<{ id: string; session: Session }> {
    const now = this.clock().getTime();
    const f = this.failures.get(username);
    if (f && now - f.since > LOCKOUT_MINUTES * 60_000) this.failures.delete(username);
    if ((this.failures.get(username)?.count ?? 0) >= FAILURE_LIMIT) {
      throw new AppError('unauthenticated', `too many failed sign-ins for this user; wait ${LOCKOUT_MINUTES} minutes`, 401);
    }
    const row = this.db.prepare('SELECT id, role, password_hash FROM dashboard_users WHERE username = ? AND disabled_at IS NULL')
      .get(username) as { id: string; role: Role; password_hash: string } | undefined;
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok) {
      const prev = this.failures.get(username);
      this.failures.set(username, { count: (prev?.count ?? 0) + 1, since: prev?.since ?? now });
      throw new AppError('unauthenticated', 'unknown user name or wrong password', 401);
    }
    this.failures.delete(username);
    return this.open({ tokenId: row.id, role: row.role, label: username }, 'user');
  }

  /** The live session behind a cookie; none when unknown, ended, expired, or its token/user was revoked. */
  find(id: string | undefined): Session | null {
    if (!id) return null;
    const row = this.db.prepare(
      `SELECT s.principal_id, s.role, s.label, s.csrf, s.expires_at FROM dashboard_sessions s
       LEFT JOIN api_tokens t ON s.principal_kind = 'token' AND t.id = s.principal_id
       LEFT JOIN dashboard_users u ON s.principal_kind = 'user' AND u.id = s.principal_id
       WHERE s.id_hash = ? AND s.ended_at IS NULL AND s.expires_at > ?
         AND ((s.principal_kind = 'token' AND t.revoked_at IS NULL AND t.id IS NOT NULL)
           OR (s.principal_kind = 'user' AND u.disabled_at IS NULL AND u.id IS NOT NULL))`,
    ).get(sha256(id), this.clock().toISOString()) as { principal_id: string; role: Role; label: string; csrf: string; expires_at: string } | undefined;
    return row ? { tokenId: row.principal_id, role: row.role, label: row.label, csrf: row.csrf, expiresAt: row.expires_at } : null;
  }

  end(id: string): void {
    this.db.prepare('UPDATE dashboard_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL').run(this.clock().toISOString(), sha256(id));
  }

  hasUsers(): boolean {
    return this.db.prepare('SELECT 1 FROM dashboard_users WHERE disabled_at IS NULL LIMIT 1').get() !== undefined;
  }

  async addUser(input: z.input<typeof newUserInput>, createdBy: string): Promise<{ id: string; username: string; role: Role }> {
    const u = newUserInput.parse(input);
    if (this.db.prepare('SELECT 1 FROM dashboard_users WHERE username = ?').get(u.username)) {
      throw new AppError('user-exists', `a dashboard user named ${JSON.stringify(u.username)} exists`, 409);
    }
    const id = randomId('usr');
    const hash = await hashPassword(u.password);
    this.db.prepare('INSERT INTO dashboard_users (id, username, role, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, u.username, u.role, hash, this.clock().toISOString(), createdBy);
    return { id, username: u.username, role: u.role };
  }

  /** Disabling a user ends their sessions at once (find() checks disabled_at). */
  disableUser(id: string): void {
    const r = this.db.prepare('UPDATE dashboard_users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL').run(this.clock().toISOString(), id);
    if (r.changes !== 1) throw new AppError('not-found', `dashboard user ${JSON.stringify(id)} does not exist or is disabled`, 404);
  }

  users(): Array<{ id: string; username: string; role: Role; createdAt: string; disabledAt: string | null }> {
    return this.db.prepare('SELECT id, username, role, created_at AS createdAt, disabled_at AS disabledAt FROM dashboard_users ORDER BY username').all() as any;
  }

  private open(who: Principal, kind: 'token' | 'user'): { id: string; session: Session } {
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    const now = this.clock();
    // Rows of sessions long over are kept a month (who was signed in when), then dropped.
    this.db.prepare('DELETE FROM dashboard_sessions WHERE expires_at < ?').run(new Date(now.getTime() - 30 * 86_400_000).toISOString());
    const expiresAt = new Date(now.getTime() + this.ttlMinutes * 60_000).toISOString();
    this.db.prepare(`INSERT INTO dashboard_sessions (id_hash, principal_id, principal_kind, role, label, csrf, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(sha256(id), who.tokenId, kind, who.role, who.label, csrf, now.toISOString(), expiresAt);
    return { id, session: { ...who, csrf, expiresAt } };
  }
}
