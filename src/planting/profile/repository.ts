import type { Db } from '../../store/db.ts';

export interface StoredProfile {
  target: string;
  learnedAt: string;
  schemaHash: string;
  hash: string;
  /** As stored: parsed and checked by the service before any use. */
  profile: unknown;
}

interface Row {
  target: string;
  learned_at: string;
  schema_hash: string;
  hash: string;
  profile: string;
}

/** Owner of target_profiles: one profile per target, replaced on each learn. */
export class ProfileRepository {
  constructor(private readonly db: Db) {}

  save(p: StoredProfile): void {
    this.db
      .prepare(`INSERT INTO target_profiles (target, learned_at, schema_hash, hash, profile) VALUES (@target, @learnedAt, @schemaHash, @hash, @profile)
        ON CONFLICT(target) DO UPDATE SET learned_at = excluded.learned_at, schema_hash = excluded.schema_hash, hash = excluded.hash, profile = excluded.profile`)
      .run({ ...p, profile: JSON.stringify(p.profile) });
  }

  find(target: string): StoredProfile | undefined {
    const r = this.db.prepare('SELECT * FROM target_profiles WHERE target = ?').get(target) as Row | undefined;
    if (!r) return undefined;
    let profile: unknown;
    try {
      profile = JSON.parse(r.profile);
    } catch {
      profile = null;
    }
    return { target: r.target, learnedAt: r.learned_at, schemaHash: r.schema_hash, hash: r.hash, profile };
  }
}
