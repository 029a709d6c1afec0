import { AppError } from '../errors.ts';
import type { DrawnIdentity } from './identity-workers.ts';
import type { PlantingTarget } from './target.ts';

/**
 * Identities no real record holds (one collision query per target and key column per round, where the
 * target can answer for many) and no other canary of this run holds (workers draw independently of each
 * other), with references no other planting carries (a reference must name one copy). Redraws clashes.
 */
export async function uniqueIdentities(
  drawn: DrawnIdentity[],
  targets: PlantingTarget[],
  seen: Set<string>,
  redraw: (phone: string, variants: number) => DrawnIdentity,
): Promise<DrawnIdentity[]> {
  const unique = [...new Set(targets)];
  const keys = ({ identity: id, variants }: DrawnIdentity) => [
    ...[id.persona.accountNumber, id.persona.premiseId, id.persona.meterSerial, id.persona.nationalId ?? ''].map((k, i) => `${i}:${k}`),
    ...variants.map((v) => `ref:${v.reference}`),
  ];
  const out = [...drawn];
  let remaining = out.map((_, i) => i);
  for (let attempt = 0; attempt < 20 && remaining.length > 0; attempt++) {
    const clashes = new Set<number>();
    for (const i of remaining) {
      const k = keys(out[i]!).filter((x) => !x.endsWith(':'));
      if (k.some((x) => seen.has(x))) clashes.add(i);
      else for (const x of k) seen.add(x);
    }
    for (const t of unique) {
      const batch = remaining.map((i) => out[i]!.identity);
      if (t.collidesMany) for (const j of await t.collidesMany(batch)) clashes.add(remaining[j]!);
      else if (t.collides) for (const [j, id] of batch.entries()) if (await t.collides(id)) clashes.add(remaining[j]!);
    }
    remaining = [...clashes];
    for (const i of remaining) out[i] = redraw(out[i]!.identity.persona.phone.e164, out[i]!.variants.length);
  }
  if (remaining.length > 0) throw new AppError('identity-collision', 'could not generate identities that no real record already holds (20 attempts)', 409);
  return out;
}
