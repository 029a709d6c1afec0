// Requests to a CRM's API: a timeout on every attempt, retries with exponential backoff (and
// jitter) on 5xx, timeouts and refused connections, never on 4xx; redirects are refused.
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../errors.ts';

export interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  /** An answer longer than this is refused (reading a CRM's records: a page must stay bounded). */
  maxBytes?: number;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

export interface RetryPolicy {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
}

/** What went wrong on the last attempt: decides whether the write may have happened. */
export type Failure =
  | { kind: 'timeout' }
  | { kind: 'network'; code: string; sent: boolean }
  | { kind: 'status'; status: number; body: string; retryAfterMs?: number }
  | { kind: 'too-large'; limit: number };

export class HttpFailure extends Error {
  constructor(readonly failure: Failure, message: string) {
    super(message);
  }
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

async function attempt(call: HttpCall, timeoutMs: number): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await fetch(call.url, {
      method: call.method,
      headers: { accept: 'application/json', ...(call.body === undefined ? {} : { 'content-type': 'application/json' }), ...call.headers },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new HttpFailure({ kind: 'timeout' }, `no answer within ${timeoutMs} ms`);
    const code = e.cause?.code ?? 'ENETWORK';
    throw new HttpFailure({ kind: 'network', code, sent: !NOT_SENT.has(code) }, `${code}: ${e.cause ? String((e.cause as Error).message ?? code) : e.message}`);
  }
  let text: string;
  try {
    text = call.maxBytes === undefined ? await res.text() : await boundedText(res, call.maxBytes);
  } catch (err) {
    if (err instanceof HttpFailure) throw err;
    throw new HttpFailure({ kind: 'timeout' }, `the answer did not finish within ${timeoutMs} ms`);
  }
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: kept as text for the error message.
  }
  if (res.status >= 300) {
    const retryAfterMs = res.status === 429 || res.status === 503 ? retryAfter(res.headers.get('retry-after')) : undefined;
    throw new HttpFailure({ kind: 'status', status: res.status, body: text.slice(0, 200), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
      `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
  return { status: res.status, body };
}

/** Reads the answer up to limit bytes; a longer one is cut off and refused, never held whole in memory. */
async function boundedText(res: Response, limit: number): Promise<string> {
  const tooLarge = () => new HttpFailure({ kind: 'too-large', limit }, `the answer is larger than ${limit} bytes`);
  if (Number(res.headers.get('content-length') ?? 0) > limit) {
    await res.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.byteLength;
    if (size > limit) {
      await res.body?.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Retry-After as seconds or an HTTP date, in ms (undefined when absent or unreadable). */
function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const retryable = (f: Failure) => f.kind === 'timeout' || f.kind === 'network' || (f.kind === 'status' && f.status >= 500);

/** Sends the call, retrying what may succeed on a second try. Throws the last HttpFailure. */
export async function send(call: HttpCall, policy: RetryPolicy): Promise<HttpAnswer> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(call, policy.timeoutMs);
    } catch (err) {
      if (!(err instanceof HttpFailure) || !retryable(err.failure) || n >= policy.retries) throw err;
      const delay = policy.backoffMs * 2 ** n;
      await sleep(delay + Math.floor(Math.random() * (delay / 2)));
    }
  }
}

/** A CRM's failure as the tracer's error: the target's name and the cause in one line. */
export function httpError(target: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (!(err instanceof HttpFailure)) return new AppError('target-error', `target "${target}": ${(err as Error).message}`, 502);
  const f = err.failure;
  if (f.kind === 'status' && (f.status === 401 || f.status === 403)) {
    return new AppError('target-auth-failed', `target "${target}": the CRM refused the credentials: ${err.message}`, 502);
  }
  if (f.kind === 'too-large') return new AppError('target-answer-too-large', `target "${target}": ${err.message}`, 502);
  if (f.kind === 'status' && f.status === 429) return new AppError('target-rate-limited', `target "${target}": the CRM kept refusing for its rate limit: ${err.message}`, 502);
  if (f.kind === 'status' && f.status < 500) return new AppError('target-rejected', `target "${target}": the CRM rejected the request: ${err.message}`, 502);
  return new AppError('target-unavailable', `target "${target}": the CRM did not answer usably: ${err.message}`, 502);
}

/** Reads a dotted path ("data.ticket.id", "items.0.id", "$.id") out of a JSON answer. */
export function pick(body: unknown, path: string): unknown {
  let node = body;
  for (const key of path.replace(/^\$\.?/, '').split('.').filter(Boolean)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
