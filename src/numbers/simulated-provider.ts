// NumberProvider without a network: numbers come from configured fictional ranges, and calls and
// messages exist only when the simulator records them here.
//
// State is in memory and dies with the process. The tracer's own store is the source of truth:
// after a restart the composition root hands the simulator a view of the numbers the store holds
// (`restored`), read when asked, so start-up memory does not grow with the pool; otherwise a
// reconcile would find every number gone. Only numbers bought, changed or released in this
// process are kept in memory.
import { createHash, randomInt } from 'node:crypto';
import { Faker, base, en } from '@faker-js/faker';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import type {
  AvailableNumber,
  CallerInfo,
  NumberProvider,
  NumberSearch,
  NumberType,
  OwnedNumber,
  ProviderCall,
  ProviderMessage,
  PurchaseRequest,
  WebhookUrls,
} from './provider.ts';
import { ProviderError } from './twilio/errors.ts';
import { priceFromTable, type PriceTableEntry } from './twilio/price-table.ts';

const e164 = z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 number such as +12025550100');

const rangeSchema = z
  .object({
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as US'),
    from: e164,
    to: e164,
    /** Inferred from the numbers (libphonenumber) when not given. */
    type: z.enum(['local', 'mobile', 'toll-free']).optional(),
  })
  .refine((r) => r.from.length === r.to.length && BigInt(r.from) <= BigInt(r.to), 'from must not exceed to')
  .refine((r) => BigInt(r.to) - BigInt(r.from) < 100_000n, 'a range holds at most 100000 numbers');

export type SimulatedRange = z.input<typeof rangeSchema>;

/** 555-0100..0199 is reserved for fiction in every North American area code. */
export const DEFAULT_SIMULATED_RANGES: readonly SimulatedRange[] = [
  { country: 'US', from: '+12025550100', to: '+12025550199' },
  { country: 'US', from: '+14155550100', to: '+14155550199' },
  { country: 'US', from: '+13125550100', to: '+13125550199' },
  { country: 'US', from: '+18005550100', to: '+18005550199' },
  { country: 'SA', from: '+966593300100', to: '+966593300199' },
];

/** Made-up prices, in the shape of Twilio's; configure real ones for budgets that matter. */
export const DEFAULT_SIMULATED_PRICES: readonly PriceTableEntry[] = [
  { country: 'US', type: 'local', price: 1.15, currency: 'USD' },
  { country: 'US', type: 'toll-free', price: 2.15, currency: 'USD' },
  { country: 'SA', type: 'mobile', price: 20, currency: 'USD' },
];

export interface SimulatedProviderOptions {
  ranges?: readonly SimulatedRange[];
  prices?: readonly PriceTableEntry[];
  /** Countries whose numbers cannot be bought without a regulatory bundle (default: SA). */
  bundleRequiredCountries?: readonly string[];
  /** Numbers already owned, copied into memory (tests). */
  owned?: readonly OwnedNumber[];
  /** Numbers already owned, read from the tracer's store when asked (the server). */
  restored?: RestoredNumbers;
  now?: () => Date;
}

export type InboundEvent =
  | { kind: 'call'; from: string; to: string; sid?: string; at?: string; status?: string; durationSeconds?: number }
  | { kind: 'sms'; from: string; to: string; body: string; sid?: string; at?: string };

/** Numbers owned before this process, looked up in the tracer's store rather than copied. */
export interface RestoredNumbers {
  bySid(providerSid: string): OwnedNumber | undefined;
  byPhone(phoneNumber: string): OwnedNumber | undefined;
  /** One page in a stable order after `cursor` (0: from the start); `next` is null at the end. */
  page(cursor: number, limit: number): { numbers: OwnedNumber[]; next: number | null };
}

interface Range {
  country: string;
  type: NumberType;
  from: bigint;
  to: bigint;
}

export class SimulatedProvider implements NumberProvider {
  readonly name = 'simulated' as const;
  private readonly ranges: Range[];
  private readonly prices: readonly PriceTableEntry[];
  private readonly bundleRequired: Set<string>;
  private readonly now: () => Date;
  private readonly owned = new Map<string, OwnedNumber>();
  private readonly ownedPhones = new Set<string>();
  private readonly restored: RestoredNumbers | undefined;
  /** Restored numbers released in this process (their store row may not say so yet). */
  private readonly releasedSids = new Set<string>();
  private readonly calls: ProviderCall[] = [];
  private readonly messages: ProviderMessage[] = [];
  private sequence = 0;

  constructor(options: SimulatedProviderOptions = {}) {
    this.ranges = (options.ranges ?? DEFAULT_SIMULATED_RANGES).map(toRange);
    this.prices = options.prices ?? DEFAULT_SIMULATED_PRICES;
    this.bundleRequired = new Set((options.bundleRequiredCountries ?? ['SA']).map((c) => c.toUpperCase()));
    this.now = options.now ?? (() => new Date());
    for (const number of options.owned ?? []) this.keep(structuredClone(number));
    this.restored = options.restored;
  }

  /** Numbers held in memory: those bought, changed or released in this process, never the restored pool. */
  get numbersInMemory(): number {
    return this.owned.size;
  }

  /** A restored number still owned and not yet in memory. */
  private restoredLive(n: OwnedNumber | undefined): OwnedNumber | undefined {
    return n && !this.releasedSids.has(n.providerSid) && !this.owned.has(n.providerSid) ? n : undefined;
  }

  private ownsPhone(phoneNumber: string): boolean {
    return this.ownedPhones.has(phoneNumber) || this.restoredLive(this.restored?.byPhone(phoneNumber)) !== undefined;
  }

  /** The account's numbers a page at a time: memory holds one page, however many are owned. */
  async *ownedPages(pageSize = 500): AsyncIterable<OwnedNumber[]> {
    const inMemory = [...this.owned.values()];
    for (let i = 0; i < inMemory.length; i += pageSize) yield inMemory.slice(i, i + pageSize).map((n) => structuredClone(n));
    for (let cursor: number | null = 0; this.restored && cursor !== null; ) {
      const page = this.restored.page(cursor, pageSize);
      const live = page.numbers.filter((n) => this.restoredLive(n) !== undefined);
      if (live.length) yield live;
      cursor = page.next;
    }
  }

  async searchAvailable(search: NumberSearch): Promise<AvailableNumber[]> {
    const taken = { has: (p: string) => this.ownsPhone(p) };
    const contains = search.contains === undefined ? undefined : containsPattern(search.contains);
    const found: AvailableNumber[] = [];
    for (const range of this.ranges) {
      if (range.country !== search.country.toUpperCase() || range.type !== search.type) continue;
      for (let n = range.from; n <= range.to && found.length < search.limit; n += 1n) {
        const phoneNumber = `+${n}`;
        if (taken.has(phoneNumber)) continue;
        if (search.areaCode !== undefined && !nationalNumber(phoneNumber).startsWith(search.areaCode)) continue;
        if (contains !== undefined && !contains.test(phoneNumber.slice(1))) continue;
        found.push({ phoneNumber, country: range.country, type: range.type });
      }
    }
    return found;
  }

  async purchase(request: PurchaseRequest): Promise<OwnedNumber> {
    return this.purchaseNow(request);
  }

  /**
   * Buys a free number of the country at random, synchronously: the pool mints a simulated number
   * inside the transaction that assigns it, and going through here keeps provider and store agreed.
   * At random, so canaries created together do not carry consecutive numbers. `isFree` lets the
   * caller skip numbers it held before (released numbers are never handed out twice).
   */
  mintNow(
    country: string,
    request: Omit<PurchaseRequest, 'phoneNumber'>,
    isFree: (phoneNumber: string) => boolean = () => true,
    /** Only ranges whose national numbers start with these digits (a prefix the target's customers use). */
    nationalPrefix?: string,
  ): { owned: OwnedNumber; type: NumberType; price: { price: number; currency: string } | null } {
    const ranges = this.ranges.filter((r) => r.country === country.toUpperCase() && (nationalPrefix === undefined || nationalNumber(`+${r.from}`).startsWith(nationalPrefix)));
    const free = (n: bigint) => !this.ownsPhone(`+${n}`) && isFree(`+${n}`);
    for (const range of ranges) {
      const size = range.to - range.from + 1n;
      let found: bigint | undefined;
      // Random probes first; when the range is nearly full, walk it from a random start.
      for (let i = 0; i < 32 && found === undefined; i++) {
        const candidate = range.from + BigInt(randomInt(Number(size)));
        if (free(candidate)) found = candidate;
      }
      const start = BigInt(randomInt(Number(size)));
      for (let k = 0n; k < size && found === undefined; k++) {
        const candidate = range.from + ((start + k) % size);
        if (free(candidate)) found = candidate;
      }
      if (found === undefined) continue;
      const owned = this.purchaseNow({ ...request, phoneNumber: `+${found}` });
      return { owned, type: range.type, price: priceFromTable(this.prices, range.country, range.type) };
    }
    throw new ProviderError('number-unavailable', `No simulated ${country} number is free: every configured range is used up`);
  }

  async release(providerSid: string): Promise<void> {
    this.releaseNow(providerSid);
  }

  /**
   * Gives a number back at once, synchronously: a number minted inside a transaction that then
   * rolled back was never recorded, and must not stay bought in memory (it would be lost to every
   * later request until a restart).
   */
  releaseNow(providerSid: string): void {
    const number = this.ownedNumber(providerSid, 'Releasing');
    this.owned.delete(providerSid);
    this.ownedPhones.delete(number.phoneNumber);
    if (this.restored) this.releasedSids.add(providerSid);
  }

  async listOwned(): Promise<OwnedNumber[]> {
    const all: OwnedNumber[] = [];
    for await (const page of this.ownedPages()) all.push(...page);
    return all;
  }

  async updateWebhooks(providerSid: string, webhooks: WebhookUrls): Promise<OwnedNumber> {
    const number = this.ownedNumber(providerSid, 'Updating webhooks of');
    number.webhooks = { ...webhooks };
    return structuredClone(number);
  }

  async listCalls(to: string, since: string | null): Promise<ProviderCall[]> {
    return inboundTo(this.calls, to, since, (c) => c.startTime).map((c) => structuredClone(c));
  }

  async listMessages(to: string, since: string | null): Promise<ProviderMessage[]> {
    return inboundTo(this.messages, to, since, (m) => m.dateSent).map((m) => structuredClone(m));
  }

  /** Deterministic per number, never networked; about a quarter of callers have no name. */
  async lookupCaller(phoneNumber: string): Promise<CallerInfo> {
    const seed = createHash('sha256').update(phoneNumber).digest().readUInt32BE(0);
    const faker = new Faker({ locale: [en, base], seed });
    const named = seed % 4 !== 0;
    const business = seed % 5 === 0;
    const name = business ? faker.company.name() : `${faker.person.lastName()} ${faker.person.firstName()}`;
    const lineType = faker.helpers.arrayElement(['mobile', 'landline', 'nonFixedVoip']);
    const carrierName = faker.helpers.arrayElement(['Simulated Mobile', 'Simulated Telecom', 'Simulated VoIP']);
    const callerName = named ? name.toUpperCase().slice(0, 15) : null;
    const callerType = named ? (business ? 'BUSINESS' : 'CONSUMER') : null;
    return {
      phoneNumber,
      callerName,
      callerType,
      lineType,
      carrierName,
      raw: { simulated: true, callerName, callerType, lineType, carrierName },
    };
  }

  async monthlyPrice(country: string, type: NumberType): Promise<{ price: number; currency: string } | null> {
    return priceFromTable(this.prices, country, type);
  }

  /**
   * Records a call or SMS that reached an owned number, for listCalls/listMessages to return (the
   * backfill path). The simulator sends the webhook with the returned sid, so both paths agree.
   */
  recordInbound(event: Extract<InboundEvent, { kind: 'call' }>): ProviderCall;
  recordInbound(event: Extract<InboundEvent, { kind: 'sms' }>): ProviderMessage;
  recordInbound(event: InboundEvent): ProviderCall | ProviderMessage {
    if (!this.ownsPhone(event.to)) {
      throw new ProviderError('provider-error', `${event.to} is not a number this provider owns`);
    }
    const when = event.at === undefined ? this.now() : new Date(event.at);
    if (Number.isNaN(when.getTime())) throw new Error(`recordInbound: "${event.at}" is not a date`);
    const at = when.toISOString();
    if (event.kind === 'call') {
      const sid = event.sid ?? this.nextSid('CA', `${event.from}>${event.to}`);
      const status = event.status ?? 'completed';
      const fields = { sid, from: event.from, to: event.to, status, direction: 'inbound', startTime: at };
      const durationSeconds = event.durationSeconds ?? null;
      const call: ProviderCall = { ...fields, durationSeconds, raw: { ...fields, duration: durationSeconds } };
      this.calls.push(call);
      return structuredClone(call);
    }
    const sid = event.sid ?? this.nextSid('SM', `${event.from}>${event.to}`);
    const fields = { sid, from: event.from, to: event.to, body: event.body, status: 'received', direction: 'inbound' };
    const message: ProviderMessage = { ...fields, dateSent: at, raw: { ...fields, dateSent: at } };
    this.messages.push(message);
    return structuredClone(message);
  }

  /** An SMS the tracer sends (alerts to the on-call number): recorded, as Twilio's Messages API would. */
  sendMessage(m: { from: string; to: string; body: string }): ProviderMessage {
    const sid = this.nextSid('SM', `${m.from}>${m.to}`);
    const at = this.now().toISOString();
    const fields = { sid, from: m.from, to: m.to, body: m.body, status: 'sent', direction: 'outbound-api' };
    const message: ProviderMessage = { ...fields, dateSent: at, raw: { ...fields, dateSent: at } };
    this.messages.push(message);
    return structuredClone(message);
  }

  /** What sendMessage recorded, oldest first. */
  sentMessages(): ProviderMessage[] {
    return this.messages.filter((m) => m.direction === 'outbound-api').map((m) => structuredClone(m));
  }

  private purchaseNow(request: PurchaseRequest): OwnedNumber {
    const range = this.rangeOf(request.phoneNumber);
    if (range === undefined || this.ownsPhone(request.phoneNumber)) {
      throw new ProviderError('number-unavailable', `Buying ${request.phoneNumber} failed: it is not available`);
    }
    if (this.bundleRequired.has(range.country) && request.bundleSid === undefined) {
      throw new ProviderError(
        'bundle-required',
        `Buying ${request.phoneNumber} failed: ${range.country} numbers need a regulatory bundle`,
      );
    }
    const number: OwnedNumber = {
      providerSid: this.nextSid('PN', request.phoneNumber),
      phoneNumber: request.phoneNumber,
      friendlyName: request.friendlyName,
      webhooks: { ...request.webhooks },
    };
    this.keep(number);
    return structuredClone(number);
  }

  private keep(number: OwnedNumber): void {
    this.owned.set(number.providerSid, number);
    this.ownedPhones.add(number.phoneNumber);
  }

  private rangeOf(phoneNumber: string): Range | undefined {
    if (!e164.safeParse(phoneNumber).success) return undefined;
    const n = BigInt(phoneNumber);
    return this.ranges.find((r) => n >= r.from && n <= r.to && `+${r.from}`.length === phoneNumber.length);
  }

  private ownedNumber(providerSid: string, action: string): OwnedNumber {
    let number = this.owned.get(providerSid);
    // A restored number about to change (webhooks, release) is brought into memory.
    const restored = number === undefined ? this.restoredLive(this.restored?.bySid(providerSid)) : undefined;
    if (restored) {
      number = structuredClone(restored);
      this.keep(number);
    }
    if (number === undefined) {
      throw new ProviderError('provider-error', `${action} ${providerSid} failed: no such number`, {
        providerStatus: 404,
      });
    }
    return number;
  }

  /** Twilio-shaped sids (two letters, 32 hex), distinct per call and stable across runs. */
  private nextSid(prefix: 'PN' | 'CA' | 'SM', salt: string): string {
    this.sequence += 1;
    return prefix + createHash('sha256').update(`${prefix}:${salt}:${this.sequence}`).digest('hex').slice(0, 32);
  }
}

function toRange(input: SimulatedRange): Range {
  const parsed = rangeSchema.safeParse(input);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'range'} ${i.message}`).join('; ');
    throw new Error(`Simulated number range ${JSON.stringify(input)} is invalid: ${reason}`);
  }
  const range = parsed.data;
  return { country: range.country, type: range.type ?? typeOf(range.from), from: BigInt(range.from), to: BigInt(range.to) };
}

function typeOf(phoneNumber: string): NumberType {
  const type = parsePhoneNumberFromString(phoneNumber)?.getType();
  return type === 'MOBILE' ? 'mobile' : type === 'TOLL_FREE' ? 'toll-free' : 'local';
}

function nationalNumber(phoneNumber: string): string {
  return parsePhoneNumberFromString(phoneNumber)?.nationalNumber ?? phoneNumber.slice(1);
}

/** Twilio's `contains`: digits, letters as on a phone keypad, `*` for any one digit. */
function containsPattern(pattern: string): RegExp {
  const keypad = ['', '', 'abc', 'def', 'ghi', 'jkl', 'mno', 'pqrs', 'tuv', 'wxyz'];
  const digits = [...pattern.toLowerCase()].map((ch) => {
    if (ch === '*') return '\\d';
    if (/\d/.test(ch)) return ch;
    const key = keypad.findIndex((letters) => letters.includes(ch));
    if (key < 0) throw new ProviderError('provider-error', `"contains" may hold digits, letters and *: "${pattern}"`);
    return String(key);
  });
  return new RegExp(digits.join(''));
}

function inboundTo<T extends { to: string }>(
  records: readonly T[],
  to: string,
  since: string | null,
  when: (record: T) => string | null,
): T[] {
  const from = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since);
  return records
    .filter((r) => r.to === to && Date.parse(when(r) ?? '') >= from)
    .sort((a, b) => Date.parse(when(a) ?? '') - Date.parse(when(b) ?? ''));
}
