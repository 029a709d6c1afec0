// The tracer talks to telephony through this interface only; it never knows whether the numbers
// are Twilio's or the simulator's.

export type NumberType = 'local' | 'mobile' | 'toll-free';

export interface NumberSearch {
  /** ISO 3166 alpha-2, e.g. "US", "SA" */
  country: string;
  type: NumberType;
  areaCode?: string;
  contains?: string;
  limit: number;
}

export interface AvailableNumber {
  phoneNumber: string; // E.164
  country: string;
  type: NumberType;
}

export interface WebhookUrls {
  voiceUrl: string;
  smsUrl: string;
  statusCallback: string;
  voiceFallbackUrl?: string;
}

export interface PurchaseRequest {
  phoneNumber: string;
  webhooks: WebhookUrls;
  /** Must not reveal the number's purpose. */
  friendlyName: string;
  bundleSid?: string;
  addressSid?: string;
}

export interface OwnedNumber {
  providerSid: string;
  phoneNumber: string;
  friendlyName: string;
  webhooks: WebhookUrls;
}

export interface ProviderCall {
  sid: string;
  from: string;
  to: string;
  status: string;
  direction: string;
  startTime: string | null;
  durationSeconds: number | null;
  /** Everything the provider returned, kept raw. */
  raw: Record<string, unknown>;
}

export interface ProviderMessage {
  sid: string;
  from: string;
  to: string;
  body: string;
  status: string;
  direction: string;
  dateSent: string | null;
  raw: Record<string, unknown>;
}

export interface CallerInfo {
  phoneNumber: string;
  callerName: string | null;
  callerType: string | null;
  lineType: string | null;
  carrierName: string | null;
  raw: Record<string, unknown>;
}

export interface NumberProvider {
  readonly name: 'simulated' | 'twilio';
  searchAvailable(search: NumberSearch): Promise<AvailableNumber[]>;
  purchase(request: PurchaseRequest): Promise<OwnedNumber>;
  release(providerSid: string): Promise<void>;
  listOwned(): Promise<OwnedNumber[]>;
  /** The same, a page at a time: what a reconcile of a large account walks, holding one page. */
  ownedPages(pageSize?: number): AsyncIterable<OwnedNumber[]>;
  updateWebhooks(providerSid: string, webhooks: WebhookUrls): Promise<OwnedNumber>;
  /** Inbound calls to `to` since `since` (ISO), oldest first. */
  listCalls(to: string, since: string | null): Promise<ProviderCall[]>;
  listMessages(to: string, since: string | null): Promise<ProviderMessage[]>;
  lookupCaller(phoneNumber: string): Promise<CallerInfo>;
  /** Monthly price in the account's currency, or null when the provider cannot say. */
  monthlyPrice(country: string, type: NumberType): Promise<{ price: number; currency: string } | null>;
}
