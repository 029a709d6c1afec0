// The one HTTP client for requests the tracer sends out (alert outputs today). undici does the
// HTTP; its connector is wrapped so every connection — the first and each redirect's — goes to an
// address the policy passed, resolved once and connected to directly (DNS rebinding cannot swap
// it). Short timeouts, a few redirects at most, and the answer is read up to a size cap.
import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import { OutboundPolicy, OutboundRefused } from './policy.ts';

export interface OutboundOptions {
  policy: OutboundPolicy;
  /** Connect, answer headers and body each within this (ms). */
  timeoutMs?: number;
  /** Bytes of the answer kept; the rest is not read. */
  maxResponseBytes?: number;
  maxRedirects?: number;
  /** The socket layer under the checks (tests pass one that records what would have been dialled). */
  baseConnector?: buildConnector.connector;
}

export interface OutboundRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The answer as text, up to the size cap. */
  body: string;
  truncated: boolean;
  /** Every URL requested, the first and each redirect's. */
  urls: string[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class OutboundClient {
  private readonly dispatcher: Dispatcher;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;

  constructor(private readonly o: OutboundOptions) {
    this.timeoutMs = o.timeoutMs ?? 5_000;
    this.maxBytes = o.maxResponseBytes ?? 64 * 1024;
    this.maxRedirects = o.maxRedirects ?? 3;
    const base = o.baseConnector ?? buildConnector({ timeout: this.timeoutMs });
    this.dispatcher = new Agent({
      connect: checkedConnector(o.policy, base),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      connections: 16,
    });
  }

  async send(req: OutboundRequest): Promise<OutboundResponse> {
    const urls: string[] = [];
    let current = { ...req };
    for (;;) {
      const url = checkUrl(current.url);
      urls.push(url.href);
      const res = await request(url, {
        method: current.method,
        headers: current.headers,
        body: current.body,
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.timeoutMs * 3),
      });
      const location = res.headers.location;
      if (REDIRECTS.has(res.statusCode) && typeof location === 'string') {
        await res.body.dump({ limit: this.maxBytes }).catch(() => undefined);
        if (urls.length > this.maxRedirects) throw new OutboundRefused(`more than ${this.maxRedirects} redirects`);
        // 307/308 repeat the request; the others become a GET without a body (as browsers do).
        const keep = res.statusCode === 307 || res.statusCode === 308;
        current = keep
          ? { ...current, url: new URL(location, url).href }
          : { method: 'GET', url: new URL(location, url).href, headers: withoutBodyHeaders(current.headers) };
        continue;
      }
      const { text, truncated } = await readCapped(res.body, this.maxBytes);
      return { status: res.statusCode, headers: res.headers, body: text, truncated, urls };
    }
  }

  private closing: Promise<void> | null = null;

  /** Safe to call more than once (an app may be closed by its owner and again by a test's teardown). */
  close(): Promise<void> {
    this.closing ??= this.dispatcher.close();
    return this.closing;
  }
}

function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefused('not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundRefused(`${url.protocol} URLs are not sent to`);
  if (url.username || url.password) throw new OutboundRefused('URLs carrying credentials are not sent to');
  return url;
}

/** Resolves and checks before dialling, then dials the checked address itself. */
function checkedConnector(policy: OutboundPolicy, base: buildConnector.connector): buildConnector.connector {
  return (opts, callback) => {
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    policy.connectAddress(host, port).then(
      (address) => base({ ...opts, hostname: address, port: String(port), servername: opts.servername ?? sniName(host) }, callback),
      (err: Error) => callback(err, null),
    );
  };
}

const sniName = (host: string) => (/^[\d.]+$|:/.test(host) ? undefined : host);

function withoutBodyHeaders(headers: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!/^content-/i.test(k)) out[k] = v;
  return out;
}

async function readCapped(body: Dispatcher.ResponseData['body'], max: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    if (size + buf.length > max) {
      chunks.push(buf.subarray(0, max - size));
      body.on('error', () => undefined); // the abort we cause is not a failure
      body.destroy();
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(buf);
    size += buf.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}
