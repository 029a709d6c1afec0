// A tiny in-process HTTP server that answers like Twilio would, for what Prism's static examples
// cannot show: error answers, timeouts, the pricing API.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  authorization: string | undefined;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  /** Never answer: lets a client time out. */
  hang?: boolean;
}

export interface FakeTwilio {
  baseUrl: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startFakeTwilio(answer: (request: SeenRequest) => FakeAnswer): Promise<FakeTwilio> {
  const requests: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
        authorization: req.headers.authorization,
      };
      requests.push(seen);
      const reply = answer(seen);
      if (reply.hang) return;
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The JSON body Twilio's REST API sends with a failure. */
export function twilioError(status: number, code: number, message: string): FakeAnswer {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

// ---------------------------------------------------------------------------------------------
// A stateful Twilio, for the lifecycle: numbers bought stay bought, webhooks stay what they were
// set to, released numbers are gone, and calls and messages exist once `receive` puts them there.
// Answers in Twilio's JSON shapes, so the real SDK (and TwilioProvider) reads them unchanged.

export interface FakeNumber {
  sid: string;
  phone_number: string;
  friendly_name: string;
  voice_url: string | null;
  sms_url: string | null;
  status_callback: string | null;
  voice_fallback_url: string | null;
  bundle_sid: string | null;
  address_sid: string | null;
}

export interface FakeRecord {
  sid: string;
  from: string;
  to: string;
  at: Date;
  kind: 'call' | 'sms';
  body?: string;
  callerName?: string;
  durationSeconds?: number;
}

export interface StatefulTwilio extends FakeTwilio {
  /** Numbers offered by AvailablePhoneNumbers, per country. */
  available: Map<string, string[]>;
  owned: Map<string, FakeNumber>;
  records: FakeRecord[];
  /** Answer the next matching request(s) with this instead (an error, a 5xx), after letting `skip` of them through. */
  failNext(method: string, path: RegExp, answer: FakeAnswer, o?: { times?: number; skip?: number }): void;
  receive(record: Omit<FakeRecord, 'sid'> & { sid?: string }): FakeRecord;
  /** `api=…,lookups=…,pricing=…`, ready for TWILIO_API_OVERRIDE. */
  apiOverride: string;
}

const twilioDate = (d: Date) => d.toUTCString().replace('GMT', '+0000');
let fakeSeq = 0;
const fakeSid = (prefix: string) => `${prefix}${(++fakeSeq).toString(16).padStart(32, '0')}`;

export async function startStatefulTwilio(o: { available?: Record<string, string[]>; prices?: Record<string, number> } = {}): Promise<StatefulTwilio> {
  const available = new Map(Object.entries(o.available ?? { US: ['+14155550100', '+14155550101', '+14155550102', '+14155550103'] }));
  const owned = new Map<string, FakeNumber>();
  const records: FakeRecord[] = [];
  const failures: Array<{ method: string; path: RegExp; answer: FakeAnswer; times: number; skip: number }> = [];

  const answer = (req: SeenRequest): FakeAnswer => {
    const failure = failures.find((f) => f.times > 0 && f.method === req.method && f.path.test(req.path));
    if (failure && failure.skip > 0) failure.skip -= 1;
    else if (failure) {
      failure.times -= 1;
      return failure.answer;
    }
    return route(req);
  };

  const route = (req: SeenRequest): FakeAnswer => {
    const account = /^\/2010-04-01\/Accounts\/(AC\w+)(\/.*)$/.exec(req.path);
    const rest = account?.[2] ?? '';
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && (m = /^\/AvailablePhoneNumbers\/(\w\w)\/(Local|Mobile|TollFree)\.json$/.exec(rest))) {
      const heldPhones = new Set([...owned.values()].map((n) => n.phone_number));
      const contains = req.query.get('Contains');
      const list = (available.get(m[1]!) ?? []).filter((p) => !heldPhones.has(p) && (!contains || p.includes(contains)));
      const size = Number(req.query.get('PageSize') ?? 50);
      return { status: 200, body: { available_phone_numbers: list.slice(0, size).map((p) => ({ phone_number: p, iso_country: m![1], friendly_name: p })), uri: req.path } };
    }
    if (rest === '/IncomingPhoneNumbers.json' && req.method === 'POST') {
      const phone = req.form.get('PhoneNumber')!;
      if (!(available.get(phoneCountry(phone)) ?? []).includes(phone) || [...owned.values()].some((n) => n.phone_number === phone)) {
        return twilioError(400, 21422, 'PhoneNumber requested is not available');
      }
      const n: FakeNumber = {
        sid: fakeSid('PN'), phone_number: phone, friendly_name: req.form.get('FriendlyName') ?? phone,
        voice_url: req.form.get('VoiceUrl'), sms_url: req.form.get('SmsUrl'), status_callback: req.form.get('StatusCallback'),
        voice_fallback_url: req.form.get('VoiceFallbackUrl'), bundle_sid: req.form.get('BundleSid'), address_sid: req.form.get('AddressSid'),
      };
      owned.set(n.sid, n);
      return { status: 201, body: n };
    }
    if (rest === '/IncomingPhoneNumbers.json' && req.method === 'GET') {
      return { status: 200, body: { incoming_phone_numbers: [...owned.values()], next_page_uri: null, page: 0, page_size: 50 } };
    }
    if ((m = /^\/IncomingPhoneNumbers\/(PN\w+)\.json$/.exec(rest))) {
      const n = owned.get(m[1]!);
      if (!n) return twilioError(404, 20404, 'The requested resource was not found');
      if (req.method === 'DELETE') {
        owned.delete(n.sid);
        return { status: 204 };
      }
      if (req.method === 'POST') {
        for (const [field, key] of [['voice_url', 'VoiceUrl'], ['sms_url', 'SmsUrl'], ['status_callback', 'StatusCallback'], ['voice_fallback_url', 'VoiceFallbackUrl']] as const) {
          if (req.form.has(key)) n[field] = req.form.get(key);
        }
        return { status: 200, body: n };
      }
    }
    if (req.method === 'GET' && (rest === '/Calls.json' || rest === '/Messages.json')) {
      const kind = rest === '/Calls.json' ? 'call' : 'sms';
      const after = req.query.get(kind === 'call' ? 'StartTime>' : 'DateSent>');
      const list = records
        .filter((r) => r.kind === kind && r.to === req.query.get('To') && (!after || r.at.getTime() >= Date.parse(after)))
        .sort((a, b) => b.at.getTime() - a.at.getTime()); // Twilio lists newest first
      const body = kind === 'call'
        ? { calls: list.map((r) => ({ sid: r.sid, from: r.from, to: r.to, status: 'completed', direction: 'inbound', caller_name: r.callerName ?? null,
            start_time: twilioDate(r.at), duration: String(r.durationSeconds ?? 0) })) }
        : { messages: list.map((r) => ({ sid: r.sid, from: r.from, to: r.to, body: r.body ?? '', status: 'received', direction: 'inbound', date_sent: twilioDate(r.at) })) };
      return { status: 200, body: { ...body, next_page_uri: null, page: 0, page_size: 50 } };
    }
    if (req.method === 'GET' && (m = /^\/v2\/PhoneNumbers\/([^/]+)$/.exec(req.path))) {
      const phone = decodeURIComponent(m[1]!);
      return { status: 200, body: { phone_number: phone, valid: true, caller_name: { caller_name: 'FAKE CALLER', caller_type: 'CONSUMER', error_code: null },
        line_type_intelligence: { type: 'mobile', carrier_name: 'Fake Wireless', error_code: null } } };
    }
    if (req.method === 'GET' && (m = /^\/v1\/PhoneNumbers\/Countries\/(\w\w)$/.exec(req.path))) {
      const price = o.prices?.[m[1]!];
      if (price === undefined) return twilioError(404, 20404, 'The requested resource was not found');
      return { status: 200, body: { iso_country: m[1], country: m[1], price_unit: 'USD',
        phone_number_prices: [{ number_type: 'local', base_price: String(price), current_price: String(price) }] } };
    }
    return twilioError(404, 20404, `fake Twilio has no ${req.method} ${req.path}`);
  };

  const server = await startFakeTwilio(answer);
  return {
    ...server,
    available,
    owned,
    records,
    apiOverride: `api=${server.baseUrl},lookups=${server.baseUrl},pricing=${server.baseUrl}`,
    failNext(method, path, reply, o = {}) {
      failures.push({ method, path, answer: reply, times: o.times ?? 1, skip: o.skip ?? 0 });
    },
    receive(record) {
      const full: FakeRecord = { ...record, sid: record.sid ?? fakeSid(record.kind === 'call' ? 'CA' : 'SM') };
      records.push(full);
      return full;
    },
  };
}

function phoneCountry(phone: string): string {
  return phone.startsWith('+966') ? 'SA' : 'US';
}
