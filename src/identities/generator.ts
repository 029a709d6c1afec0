// The identity generator: validated options in, a seeded stream of unique canaries out.
import { IdentityError } from './errors.ts';
import { compileFormat, DEFAULT_FORMATS, drawValue, FORMAT_FIELDS, type CompiledFormat, type FormatField } from './formats.ts';
import { normaliseAddress, normaliseName } from './keys.ts';
import { LOCALE_PACKS, ticketContext } from './locale-pack.ts';
import { createNationalIdAllocator } from './national-id.ts';
import { parseOptions, type IdentityGeneratorOptions } from './options.ts';
import { arabicFullName, drawArabicName, drawNationalId, drawSaudiAddress, drawSaudiLandline, latinFullName } from './persona-ar.ts';
import { drawUsAddress, drawUsName } from './persona-us.ts';
import { contactPhone, saudiMobile, usPhone } from './phones.ts';
import { createRandom, type Random } from './random.ts';
import { saudiServiceArea, usServiceArea } from './service-area.ts';
import { containsTellWord } from './tells.ts';
import { createTicket } from './tickets.ts';
import { drawOpenedAt, SEASONS } from './history.ts';
import type { CanaryIdentity, Persona, PhoneForms, PlantingVariant } from './types.ts';
import { plantingVariants } from './variants.ts';

export interface IdentityGenerator {
  /** A new persona+ticket. phoneE164 is the canary number (the contact phone); when omitted a realistic mobile number is generated (for ordinary sample customers). */
  next(phoneE164?: string): CanaryIdentity;
  /** n distinct planting variants of one identity (index 0 = the identity as generated). */
  variants(identity: CanaryIdentity, n: number): PlantingVariant[];
}

/** A new complaint (a canary's) falls in the last few days; sample history asks for more. */
const RECENT_DAYS = 4;

/** Redraws allowed for one unique value before the format or area is declared too small. */
const MAX_REDRAWS = 500;

type LocalPart = Pick<Persona, 'fullName' | 'fullNameLatin' | 'phone' | 'landline' | 'address'>;

interface LocaleDraws {
  /** Name, address and phones: redrawn until name+address is unused. */
  draw(contact?: PhoneForms): LocalPart;
  /** IDs drawn only once the persona is accepted, so redraws never burn reserved IDs. */
  ids(): Pick<Persona, 'nationalId'>;
}

export function createIdentityGenerator(input: IdentityGeneratorOptions): IdentityGenerator {
  const options = parseOptions(input);
  const pack = LOCALE_PACKS[options.locale];
  const formats = compileFormats(options);
  const random = createRandom(options.seed);
  const hours = { ...pack.hours, timeZone: options.timeZone ?? pack.hours.timeZone };
  const shape = { hours, season: SEASONS[options.locale], windowDays: options.ticketWindowDays ?? RECENT_DAYS };
  const now = options.now ?? (() => new Date());
  const draws = options.locale === 'ar-SA' ? saudiDraws(random, options) : usDraws(random, options);
  const seen = { accountNumber: new Set<string>(), premiseId: new Set<string>(), meterSerial: new Set<string>(), nameAddress: new Set<string>() };

  const uniqueValue = (field: FormatField): string => {
    for (let i = 0; i < MAX_REDRAWS; i++) {
      const value = drawValue(formats[field], random, `formats.${field}`);
      if (!seen[field].has(value)) return seen[field].add(value), value;
    }
    throw new IdentityError('format-exhausted', `formats.${field}: the format has no unused values left`, `formats.${field}`);
  };

  const uniqueLocal = (contact?: PhoneForms): LocalPart => {
    for (let i = 0; i < MAX_REDRAWS; i++) {
      const local = draws.draw(contact);
      const key = `${normaliseName(local.fullName)}|${normaliseAddress(local.address)}`;
      if (seen.nameAddress.has(key) || containsTellWord(JSON.stringify(local))) continue;
      seen.nameAddress.add(key);
      return local;
    }
    throw new IdentityError('service-area-exhausted', 'serviceArea: no unused name and address left', 'serviceArea');
  };

  return {
    next(phoneE164) {
      const contact = phoneE164 === undefined ? undefined : contactPhone(phoneE164);
      const local = uniqueLocal(contact);
      const ticket = createTicket(random, pack.phrases, ticketContext({ locale: options.locale, address: local.address }), shape, now());
      const persona: Persona = {
        locale: options.locale,
        ...local,
        ...draws.ids(),
        accountNumber: uniqueValue('accountNumber'),
        premiseId: uniqueValue('premiseId'),
        meterSerial: uniqueValue('meterSerial'),
        openedAt: drawOpenedAt(random, Date.parse(ticket.createdAt), hours.timeZone),
      };
      return { persona, ticket };
    },
    variants: (identity, n) => plantingVariants(identity, n),
  };
}

function compileFormats(options: IdentityGeneratorOptions): Record<FormatField, CompiledFormat> {
  const entries = FORMAT_FIELDS.map((field) => {
    const declared = options.formats?.[field] ?? DEFAULT_FORMATS[options.locale][field];
    return [field, compileFormat(declared, `formats.${field}`)] as const;
  });
  return Object.fromEntries(entries) as Record<FormatField, CompiledFormat>;
}

function saudiDraws(random: Random, options: IdentityGeneratorOptions): LocaleDraws {
  const areas = saudiServiceArea(options.serviceArea);
  const nationalIds = createNationalIdAllocator(random, options.nationalIdRange);
  return {
    draw(contact) {
      const name = drawArabicName(random);
      const { address, area } = drawSaudiAddress(random, areas);
      const landline = options.landline === 'never' ? undefined : drawSaudiLandline(random, area);
      return {
        fullName: arabicFullName(name),
        fullNameLatin: latinFullName(name),
        phone: contact ?? saudiMobile(random),
        ...(landline ? { landline } : {}),
        address,
      };
    },
    ids: () => ({ nationalId: drawNationalId(nationalIds) }),
  };
}

function usDraws(random: Random, options: IdentityGeneratorOptions): LocaleDraws {
  const areas = usServiceArea(options.serviceArea);
  return {
    draw(contact) {
      const fullName = drawUsName(random);
      const { address, area } = drawUsAddress(random, areas);
      return { fullName, phone: contact ?? usPhone(random, area.city.areaCodes), address };
    },
    ids: () => ({}),
  };
}
