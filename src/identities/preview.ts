// What `tracer identities sample` prints: canaries generated exactly as they would be planted,
// but planted nowhere, so staff can review them. Deterministic: the same seed gives the same
// list, createdAt included, because the clock is pinned (see PREVIEW_REFERENCE_DATE).
import { z } from 'zod';
import { IdentityError } from './errors.ts';
import { createIdentityGenerator } from './generator.ts';
import type { IdentityGeneratorOptions } from './options.ts';
import type { CanaryIdentity } from './types.ts';

/**
 * The fixed "now" previews are generated against when no `now` is given: a Wednesday, a working
 * day in both locales. A preview shows what tickets look like, not when they will be dated; pass
 * `now` to see dates relative to another moment.
 */
export const PREVIEW_REFERENCE_DATE = '2026-01-14T12:00:00Z';
export const MAX_SAMPLE_COUNT = 10_000;

export interface SampleOptions extends Omit<IdentityGeneratorOptions, 'now'> {
  count: number;
  now?: Date;
}

const countSchema = z.number().int().min(1).max(MAX_SAMPLE_COUNT);

export function sampleIdentities(options: SampleOptions): CanaryIdentity[] {
  const { count, now, ...generatorOptions } = options;
  if (!countSchema.safeParse(count).success) {
    throw new IdentityError('invalid-count', `count: give a whole number from 1 to ${MAX_SAMPLE_COUNT}`, 'count');
  }
  const reference = now ?? new Date(PREVIEW_REFERENCE_DATE);
  const generator = createIdentityGenerator({ ...generatorOptions, now: () => reference });
  return Array.from({ length: count }, () => generator.next());
}
