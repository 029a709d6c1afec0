import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../store/db.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';

export const ROLES = ['admin', 'seeder', 'investigator'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'channels:write' | 'channels:read'
  | 'canaries:write' | 'canaries:read'
  | 'numbers:write' | 'numbers:read'
  | 'hits:read' | 'report:read' | 'evidence:read'
  | 'parties:read' | 'parties:write'
  | 'tokens:manage';

const GRANTS: Record<Role, Permission[]> = {
  admin: ['channels:write', 'channels:read', 'canaries:write', 'canaries:read', 'numbers:write', 'numbers:read',
    'hits:read', 'report:read', 'evidence:read', 'tokens:manage', 'parties:read', 'parties:write'],
  seeder: ['channels:write', 'channels:read', 'canaries:write', 'canaries:read', 'numbers:write', 'numbers:read'],
  investigator: ['channels:read', 'hits:read', 'report:read', 'evidence:read', 'parties:read', 'parties:write'],
};

export const can = (role: Role, p: Permission) => GRANTS[role].includes(p);

export interface Principal {
  tokenId: string;
  role: Role;
  label: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const createTokenInput = z.object({ role: z.enum(ROLES), label: z.string().max(200).default('') });

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
    return { tokenId: row.id, role: row.role, label: row.label };
  }

  list(): Array<{ id: string; role: Role; label: string; createdAt: string; revokedAt: string | null }> {
    return (
      this.db.prepare('SELECT id, role, label, created_at, revoked_at FROM api_tokens ORDER BY created_at').all() as Array<{
        id: string; role: Role; label: string; created_at: string; revoked_at: string | null;
      }>
    ).map((r) => ({ id: r.id, role: r.role, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  revoke(id: string): void {
    const r = this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.clock().toISOString(), id);
    if (r.changes !== 1) throw new AppError('not-found', `token ${JSON.stringify(id)} does not exist or is already revoked`, 404);
  }
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

  list(limit = 1000): Array<{ at: string; actor: string; role: string; action: string; subject: string }> {
    return this.db.prepare('SELECT at, actor, role, action, subject FROM registry_reads ORDER BY id DESC LIMIT ?').all(limit) as any;
  }
}
