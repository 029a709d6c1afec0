import { AppError } from '../errors.ts';
import type { DrawnIdentity } from './identity-workers.ts';
import type { PlantingTarget } from './target.ts';

const ATTEMPTS = 20;

/**
 * Identities no real record holds (one collision query per target and key column per round, where the
 * target can answer for many) and no other canary of this run holds (workers draw independently of each
 * other), with references no other planting carries (a reference must name one copy). Redraws clashes.
 * A clash that is the canary's number itself (a real customer's mobile) survives any redraw of the rest:
 * that canary gets another number (`renumber`), then a fresh identity for it.
 */
export async function uniqueIdentities(
  drawn: DrawnIdentity[],
  targets: PlantingTarget[],
  seen: Set<string>,
  redraw: (phone: string, variants: number) => DrawnIdentity,
  renumber: (index: number) => string,
): Promise<DrawnIdentity[]> {
  const unique = [...new Set(targets)];
  const keys = ({ identity: id, variants }: DrawnIdentity) => [
    ...[id.persona.accountNumber, id.persona.premiseId, id.persona.meterSerial, id.persona.nationalId ?? ''].map((k, i) => `${i}:${k}`),
    ...variants.map((v) => `ref:${v.reference}`),
  ].filter((x) => !x.endsWith(':'));
  const out = [...drawn];
  let remaining = out.map((_, i) => i);
  let renumbered = 0;
  for (let attempt = 0; attempt < ATTEMPTS && remaining.length > 0; attempt++) {
    const clashes = new Set<number>();
    // What the targets would write (ids redrawn in their own schemes) must be unique too.
    const written = new Map<number, string[]>(remaining.map((i) => [i, keys(out[i]!)]));
    for (const t of unique) {
      if (!t.writtenKeys) continue;
      t.writtenKeys(remaining.map((i) => out[i]!.identity)).forEach((k, j) => written.get(remaining[j]!)!.push(...k));
    }
    // Keys of this round's identities count as taken only once no target refuses them.
    const round = new Set<string>();
    for (const i of remaining) {
      const k = written.get(i)!;
      if (k.some((x) => seen.has(x) || round.has(x))) clashes.add(i);
      else for (const x of k) round.add(x);
    }
    const held = new Set<number>();
    for (const t of unique) {
      const batch = remaining.map((i) => out[i]!.identity);
      const refused = new Set<number>();
      if (t.collidesMany) for (const j of await t.collidesMany(batch)) refused.add(j);
      else if (t.collides) for (const [j, id] of batch.entries()) if (await t.collides(id)) refused.add(j);
      if (refused.size > 0 && t.numbersHeld) {
        const asked = [...refused];
        for (const j of await t.numbersHeld(asked.map((x) => batch[x]!))) held.add(remaining[asked[j]!]!);
      }
      for (const j of refused) clashes.add(remaining[j]!);
    }
    for (const i of remaining) if (!clashes.has(i)) for (const x of written.get(i)!) seen.add(x);
    remaining = [...clashes];
    for (const i of remaining) {
      const phone = held.has(i) ? (renumbered++, renumber(i)) : out[i]!.identity.persona.phone.e164;
      out[i] = redraw(phone, out[i]!.variants.length);
    }
  }
  if (remaining.length > 0) {
    throw new AppError('identity-collision',
      `could not generate identities that no real record already holds (${ATTEMPTS} attempts; ${remaining.length} still clash, ${renumbered} numbers a real record held were replaced)`, 409);
  }
  return out;
}
