import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../store/db.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { decodeCursor, pageLimit, pageOf, type Page, type PageRequest } from '../store/paging.ts';
import { staffName } from '../text/unicode.ts';

export const ROLES = ['admin', 'seeder', 'investigator'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'channels:write' | 'channels:read'
  | 'canaries:write' | 'canaries:read'
  | 'numbers:write' | 'numbers:read'
  | 'hits:read' | 'report:read' | 'evidence:read'
  | 'security:read'
  | 'parties:read' | 'parties:write'
  | 'tokens:manage';

const GRANTS: Record<Role, Permission[]> = {
  admin: ['channels:write', 'channels:read', 'canaries:write', 'canaries:read', 'numbers:write', 'numbers:read',
    'hits:read', 'report:read', 'evidence:read', 'tokens:manage', 'security:read', 'parties:read', 'parties:write'],
  seeder: ['channels:write', 'channels:read', 'canaries:write', 'canaries:read', 'numbers:write', 'numbers:read', 'security:read'],
  investigator: ['channels:read', 'hits:read', 'report:read', 'evidence:read', 'parties:read', 'parties:write'],
};

export const can = (role: Role, p: Permission) => GRANTS[role].includes(p);

export interface Principal {
  tokenId: string;
  role: Role;
  label: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const createTokenInput = z.object({ role: z.enum(ROLES), label: z.union([z.literal(''), staffName(200)]).default('') });

export interface TokenInfo {
  id: string;
  role: Role;
  label: string;
  createdAt: string;
  /** The last request made with it, to the minute; null if never used. */
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface TokenRow {
  id: string; role: Role; label: string; created_at: string; last_used_at: string | null; revoked_at: string | null;
}

const toTokenInfo = (r: TokenRow): TokenInfo => ({
  id: r.id, role: r.role, label: r.label, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at,
});

/** API tokens: shown once at creation, stored only as a SHA-256 hash. */
export class TokenService {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
  ) {}

  create(input: z.input<typeof createTokenInput>): { id: string; token: string; role: Role; label: string } {
    const { role, label } = createTokenInput.parse(input);
    const token = `ctr_${randomBytes(32).toString('base64url')}`;
    const id = newId('tok');
    this.db
      .prepare('INSERT INTO api_tokens (id, token_hash, role, label, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, hashToken(token), role, label, this.clock().toISOString());
    return { id, token, role, label };
  }

  authenticate(token: string): Principal {
    const row = this.db
      .prepare('SELECT id, role, label FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL')
      .get(hashToken(token)) as { id: string; role: Role; label: string } | undefined;
    if (!row) throw new AppError('unauthenticated', 'the API token is unknown or revoked', 401);
    this.touch(row.id);
    return { tokenId: row.id, role: row.role, label: row.label };
  }

  /** Last use, to the minute: a busy token costs one write a minute, not one per request. */
  private touch(id: string): void {
    const now = this.clock();
    const stale = new Date(now.getTime() - 60_000).toISOString();
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)').run(now.toISOString(), id, stale);
  }

  list(): TokenInfo[] {
    return (this.db.prepare('SELECT * FROM api_tokens ORDER BY created_at, id').all() as TokenRow[]).map(toTokenInfo);
  }

  revoke(id: string): TokenInfo {
    const r = this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.clock().toISOString(), id);
    if (r.changes !== 1) throw new AppError('not-found', `token ${JSON.stringify(id)} does not exist or is already revoked`, 404);
    return toTokenInfo(this.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(id) as TokenRow);
  }
}

export interface RegistryRead {
  at: string;
  actor: string;
  role: string;
  action: string;
  subject: string;
}

/** Every read of the canary registry (which records are canaries) leaves a row here. */
export class RegistryAudit {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
  ) {}

  record(actor: string, role: string, action: string, subject: string): void {
    this.db
      .prepare('INSERT INTO registry_reads (at, actor, role, action, subject) VALUES (?, ?, ?, ?, ?)')
      .run(this.clock().toISOString(), actor, role, action, subject);
  }

  /** Newest first, one page at a time. */
  page(filter: { actor?: string; since?: string } = {}, page: PageRequest = {}): Page<RegistryRead> {
    const limit = pageLimit(page);
    const before = decodeCursor('registry-reads', page.cursor, 1);
    const rows = this.db
      .prepare(`SELECT id, at, actor, role, action, subject FROM registry_reads
        WHERE (@actor IS NULL OR actor = @actor) AND (@since IS NULL OR at >= @since) AND (@before IS NULL OR id < @before)
        ORDER BY id DESC LIMIT @limit`)
      .all({ actor: filter.actor ?? null, since: filter.since ?? null, before: before?.[0] ?? null, limit: limit + 1 }) as Array<RegistryRead & { id: number }>;
    return pageOf('registry-reads', rows, limit, (r) => [r.id], ({ id: _id, ...r }) => r);
  }

  /** The newest reads (tests and small tools); lists that can grow use page(). */
  list(limit = 1000): RegistryRead[] {
    return this.page({}, { limit }).items;
  }
}
