// Public face of the identities area: everything other areas may import.
export { createIdentityGenerator, type IdentityGenerator } from './generator.ts';
export { IdentityError } from './errors.ts';
export type { FieldFormat, IdentityGeneratorOptions, ServiceArea, UtilityFormats } from './options.ts';
export { identityKeys, normaliseAddress, normaliseAddressText, normaliseName, type IdentityKeys } from './keys.ts';
export { MAX_VARIANTS } from './variants.ts';
export * from './types.ts';
