// NumberProvider over the twilio SDK. Every SDK failure leaves as a ProviderError; nothing here
// stores state — the tracer's own store decides what it owns.
import type twilio from 'twilio';
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
} from '../provider.ts';
import { ProviderError, providerErrorFromTwilio } from './errors.ts';
import { priceFromTable, type PriceTableEntry } from './price-table.ts';

export interface TwilioProviderOptions {
  client: twilio.Twilio;
  /**
   * Ask pricing.twilio.com for monthly prices (default true). Turn off where it cannot be reached
   * (no OpenAPI description of it is served in tests); `priceTable` then answers alone.
   */
  pricingApi?: boolean;
  /** Used when the pricing API is off, unreachable, or does not know the country. */
  priceTable?: readonly PriceTableEntry[];
}

type JsonObject = Record<string, unknown>;

/** Fields of an incoming-phone-number resource that we read. */
interface IncomingNumberFields {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  voiceUrl: string | null;
  smsUrl: string | null;
  statusCallback: string | null;
  voiceFallbackUrl: string | null;
}

const PRICING_NUMBER_TYPE: Record<NumberType, string> = {
  local: 'local',
  mobile: 'mobile',
  'toll-free': 'toll free',
};

export class TwilioProvider implements NumberProvider {
  readonly name = 'twilio' as const;
  private readonly client: twilio.Twilio;
  private readonly pricingApi: boolean;
  private readonly priceTable: readonly PriceTableEntry[];

  constructor(options: TwilioProviderOptions) {
    this.client = options.client;
    this.pricingApi = options.pricingApi ?? true;
    this.priceTable = options.priceTable ?? [];
  }

  async searchAvailable(search: NumberSearch): Promise<AvailableNumber[]> {
    if (search.areaCode !== undefined && !/^\d+$/.test(search.areaCode)) {
      throw new ProviderError('provider-error', `Area code must be digits, got "${search.areaCode}"`);
    }
    const country = this.client.availablePhoneNumbers(search.country.toUpperCase());
    const params = {
      areaCode: search.areaCode === undefined ? undefined : Number(search.areaCode),
      contains: search.contains,
      limit: search.limit,
    };
    const found = await this.call<Array<{ phoneNumber: string; isoCountry: string }>>(
      `Searching ${search.country} ${search.type} numbers`,
      () =>
        search.type === 'local'
          ? country.local.list(params)
          : search.type === 'mobile'
            ? country.mobile.list(params)
            : country.tollFree.list(params),
    );
    return found.map((number) => ({
      phoneNumber: number.phoneNumber,
      country: number.isoCountry,
      type: search.type,
    }));
  }

  async purchase(request: PurchaseRequest): Promise<OwnedNumber> {
    const created = await this.call(`Buying ${request.phoneNumber}`, () =>
      this.client.incomingPhoneNumbers.create({
        phoneNumber: request.phoneNumber,
        friendlyName: request.friendlyName,
        bundleSid: request.bundleSid,
        addressSid: request.addressSid,
        ...webhookParams(request.webhooks),
      }),
    );
    return toOwnedNumber(created);
  }

  async release(providerSid: string): Promise<void> {
    await this.call(`Releasing ${providerSid}`, () => this.client.incomingPhoneNumbers(providerSid).remove());
  }

  async listOwned(): Promise<OwnedNumber[]> {
    const owned = await this.call('Listing owned numbers', () => this.client.incomingPhoneNumbers.list());
    return owned.map(toOwnedNumber);
  }

  async *ownedPages(pageSize = 500): AsyncIterable<OwnedNumber[]> {
    // Twilio's own paging (nextPageUri): one page of the account in memory at a time.
    type Paged = { instances: Parameters<typeof toOwnedNumber>[0][]; nextPage(): Promise<Paged | undefined> | undefined };
    let page: Paged | undefined = await this.call('Listing owned numbers', () => this.client.incomingPhoneNumbers.page({ pageSize: Math.min(pageSize, 1000) }));
    while (page) {
      if (page.instances.length) yield page.instances.map(toOwnedNumber);
      const current: Paged = page;
      page = await this.call('Listing owned numbers', async () => current.nextPage());
    }
  }

  async updateWebhooks(providerSid: string, webhooks: WebhookUrls): Promise<OwnedNumber> {
    const updated = await this.call(`Updating webhooks of ${providerSid}`, () =>
      this.client.incomingPhoneNumbers(providerSid).update(webhookParams(webhooks)),
    );
    return toOwnedNumber(updated);
  }

  async listCalls(to: string, since: string | null): Promise<ProviderCall[]> {
    const calls = await this.call(`Listing calls to ${to}`, () =>
      this.client.calls.list({ to, startTimeAfter: since === null ? undefined : new Date(since) }),
    );
    const mapped = calls.map((call) => ({
      sid: call.sid,
      from: call.from,
      to: call.to,
      status: call.status,
      direction: call.direction,
      startTime: isoOrNull(call.startTime),
      durationSeconds: numberOrNull(call.duration),
      raw: toRaw(call),
    }));
    return oldestFirst(mapped, (call) => call.startTime, since);
  }

  async listMessages(to: string, since: string | null): Promise<ProviderMessage[]> {
    const messages = await this.call(`Listing messages to ${to}`, () =>
      this.client.messages.list({ to, dateSentAfter: since === null ? undefined : new Date(since) }),
    );
    const mapped = messages.map((message) => ({
      sid: message.sid,
      from: message.from,
      to: message.to,
      body: message.body,
      status: message.status,
      direction: message.direction,
      dateSent: isoOrNull(message.dateSent),
      raw: toRaw(message),
    }));
    return oldestFirst(mapped, (message) => message.dateSent, since);
  }

  async lookupCaller(phoneNumber: string): Promise<CallerInfo> {
    const found = await this.call(`Looking up ${phoneNumber}`, () =>
      this.client.lookups.v2.phoneNumbers(phoneNumber).fetch({ fields: 'caller_name,line_type_intelligence' }),
    );
    return {
      phoneNumber: found.phoneNumber ?? phoneNumber,
      callerName: found.callerName?.callerName ?? null,
      callerType: found.callerName?.callerType ?? null,
      lineType: found.lineTypeIntelligence?.type ?? null,
      carrierName: found.lineTypeIntelligence?.carrierName ?? null,
      raw: toRaw(found),
    };
  }

  async monthlyPrice(country: string, type: NumberType): Promise<{ price: number; currency: string } | null> {
    const fromTable = priceFromTable(this.priceTable, country, type);
    if (!this.pricingApi) return fromTable;
    try {
      const prices = await this.call(`Fetching ${country} number prices`, () =>
        this.client.pricing.v1.phoneNumbers.countries(country.toUpperCase()).fetch(),
      );
      const row = prices.phoneNumberPrices?.find((entry) => entry.numberType === PRICING_NUMBER_TYPE[type]);
      const price = numberOrNull(row?.currentPrice ?? row?.basePrice);
      return price === null || !prices.priceUnit ? fromTable : { price, currency: prices.priceUnit };
    } catch (error) {
      // Unreachable, or a country Twilio does not price: the configured price, or none. Anything
      // else (bad credentials) is a real failure and says so.
      const unanswerable =
        error instanceof ProviderError && (error.code === 'provider-unavailable' || error.providerStatus === 404);
      if (unanswerable) return fromTable;
      throw error;
    }
  }

  private async call<T>(action: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw providerErrorFromTwilio(error, action);
    }
  }
}

function webhookParams(webhooks: WebhookUrls) {
  return {
    voiceUrl: webhooks.voiceUrl,
    voiceMethod: 'POST',
    smsUrl: webhooks.smsUrl,
    smsMethod: 'POST',
    statusCallback: webhooks.statusCallback,
    statusCallbackMethod: 'POST',
    // Omitted rather than cleared when unset: Twilio's description types it as a URI, so an empty
    // string is not a valid request.
    voiceFallbackUrl: webhooks.voiceFallbackUrl,
    voiceFallbackMethod: webhooks.voiceFallbackUrl === undefined ? undefined : 'POST',
  } as const;
}

function toOwnedNumber(number: IncomingNumberFields): OwnedNumber {
  const webhooks: WebhookUrls = {
    voiceUrl: number.voiceUrl ?? '',
    smsUrl: number.smsUrl ?? '',
    statusCallback: number.statusCallback ?? '',
  };
  if (number.voiceFallbackUrl) webhooks.voiceFallbackUrl = number.voiceFallbackUrl;
  return { providerSid: number.sid, phoneNumber: number.phoneNumber, friendlyName: number.friendlyName, webhooks };
}

/** The SDK's own view of a resource, made plain JSON (its Dates become ISO strings). */
function toRaw(resource: { toJSON(): object }): JsonObject {
  return JSON.parse(JSON.stringify(resource.toJSON())) as JsonObject;
}

function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

/**
 * Twilio lists newest first and filters `StartTime>`/`DateSent>` by day; the contract wants oldest
 * first from `since` on. Undated records (still ringing, queued) go last.
 */
function oldestFirst<T>(records: T[], when: (record: T) => string | null, since: string | null): T[] {
  const from = since === null ? null : Date.parse(since);
  const at = (record: T): number => {
    const value = when(record);
    return value === null ? Number.POSITIVE_INFINITY : Date.parse(value);
  };
  return records.filter((record) => from === null || at(record) >= from).sort((a, b) => at(a) - at(b));
}
