// Public face of the identities area: everything other areas may import.
export { createIdentityGenerator, type IdentityGenerator } from './generator.ts';
export { IdentityError } from './errors.ts';
export type { FieldFormat, IdentityGeneratorOptions, ServiceArea, UtilityFormats } from './options.ts';
export { learnFormats, type FormatSamples } from './learn-formats.ts';
export { identityKeys, normaliseAddress, normaliseAddressText, normaliseName, type IdentityKeys } from './keys.ts';
export { sampleIdentities, PREVIEW_REFERENCE_DATE, MAX_SAMPLE_COUNT, type SampleOptions } from './preview.ts';
export { MAX_VARIANTS } from './variants.ts';
export { isLuhnValid } from './checksums.ts';
export * from './types.ts';
