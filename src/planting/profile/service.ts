// Learning a target's profile, keeping it, and handing it to the target's connector. A profile
// that does not load (damaged, of another schema) is never used: the target falls back to the
// declared formats, and says so.
import type { Db } from '../../store/db.ts';
import type { Logger } from '../../log.ts';
import type { EvidenceLog } from '../../evidence/log.ts';
import { AppError } from '../../errors.ts';
import type { PlantingTarget, ProfileState, TargetRegistry } from '../target.ts';
import { writtenKeys } from '../repository.ts';
import { learnProfile, profileHash } from './learn.ts';
import { ProfileRepository } from './repository.ts';
import { MIN_ROWS, targetProfile, type TargetProfile } from './types.ts';

/** Rows read per table to learn from: enough for shares of a few percent, bounded for a large CIS. */
export const DEFAULT_SAMPLE_ROWS = 5000;

/** Where learning is: tables (or CSV files) read, then columns learned. */
export interface LearnProgress {
  stage: 'read' | 'learn';
  done: number;
  total: number;
}

export interface LearnResult {
  profile: TargetProfile;
  hash: string;
  warnings: string[];
}

export class ProfileService {
  private readonly repo: ProfileRepository;

  constructor(private readonly d: {
    db: Db; targets: TargetRegistry; evidence: EvidenceLog; clock: () => Date; log: Logger;
    /** Told the prefix spread of the canary number's column, so the number pool can match it. */
    onPhoneSpread?: (country: string, shares: Record<string, number>) => void;
  }) {
    this.repo = new ProfileRepository(d.db);
  }

  /** Reads a bounded sample of the target's real rows and keeps what it learned (shapes only). */
  async learn(name: string, o: { limit?: number; onProgress?: (p: LearnProgress) => void } = {}): Promise<LearnResult> {
    const target = this.learnable(name);
    const previous = this.load(name) ? 'its previous profile' : 'declared formats';
    let sample;
    try {
      sample = await target.sample!({
        limit: o.limit ?? DEFAULT_SAMPLE_ROWS, exclude: writtenKeys(this.d.db, name),
        onProgress: o.onProgress && ((done, total) => o.onProgress!({ stage: 'read', done, total })),
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new AppError(err instanceof AppError ? err.code : 'target-unreadable', `${why} (nothing learned; canaries keep using ${previous})`, 502);
    }
    const at = this.d.clock();
    const profile = learnProfile(name, sample, at, o.onProgress && ((done, total) => o.onProgress!({ stage: 'learn', done, total })));
    const learned = profile.columns.filter((c) => !c.note);
    if (learned.length === 0) {
      throw new AppError('profile-too-few-rows', `target "${name}": fewer than ${MIN_ROWS} real rows to learn from (nothing learned; canaries keep using ${previous})`, 409);
    }
    const hash = profileHash(profile);
    this.d.db.transaction(() => {
      this.repo.save({ target: name, learnedAt: profile.learnedAt, schemaHash: profile.schemaHash, hash, profile });
      this.d.evidence.append(at.toISOString(), 'profile', name, {
        hash, learnedAt: profile.learnedAt, schemaHash: profile.schemaHash, rowsPerTable: profile.rowsPerTable, columns: profile.columns.length,
      }, { table: 'target_profiles', id: name });
    })();
    target.useProfile!(profile);
    this.announceSpread(profile);
    const warnings = profile.columns.filter((c) => c.note && c.kind !== 'key').map((c) => `${c.table}.${c.column}: ${c.note}`);
    return { profile, hash, warnings };
  }

  /** The stored profile, checked; undefined when there is none or it does not load. */
  load(name: string): TargetProfile | undefined {
    const stored = this.repo.find(name);
    if (!stored) return undefined;
    // The hash is over the profile as stored (the evidence log holds it); then its shape is checked.
    if (profileHash(stored.profile as TargetProfile) !== stored.hash) return undefined;
    const parsed = targetProfile.safeParse(stored.profile);
    if (!parsed.success) return undefined;
    return parsed.data;
  }

  /** On start: every target with a stored profile writes in its shape; a profile that fails to load is not used. */
  applyStored(): void {
    for (const t of this.d.targets.all()) {
      if (!t.useProfile || !this.repo.find(t.name)) continue;
      const profile = this.load(t.name);
      if (!profile) this.d.log.warn({ target: t.name }, 'the stored profile does not load: canaries use declared formats until the target is learned again');
      t.useProfile(profile ?? null);
      if (profile) this.announceSpread(profile);
    }
  }

  /** The column the canary's own number is written to: its real numbers' prefixes are the pool's goal. */
  private announceSpread(p: TargetProfile): void {
    const column = p.columns.find((c) => c.phone && /persona\.phone\./.test(c.source));
    if (column?.phone) this.d.onPhoneSpread?.(column.phone.country, column.phone.prefixes);
  }

  state(name: string): ProfileState & { stored: boolean } {
    const t = this.d.targets.get(name);
    const stored = this.repo.find(name) !== undefined;
    if (stored && !this.load(name)) return { state: 'refused', stored, warning: `target "${name}": the stored profile does not load; declared formats apply` };
    return { ...(t?.profileState?.() ?? { state: 'none' as const }), stored };
  }

  private learnable(name: string): PlantingTarget {
    const t = this.d.targets.get(name);
    if (!t) throw new AppError('unknown-target', `no target named "${name}" (see "tracer plantings targets")`, 404);
    if (!t.sample || !t.useProfile) throw new AppError('profile-unsupported', `target "${name}" (${t.kind ?? 'custom'}) cannot be read to learn from: declared formats apply`, 409);
    return t;
  }
}
