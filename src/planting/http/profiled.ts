// Learning a CRM target through its own API: the declared list request is read page by page (at
// most the declared requests per second, each answer bounded in bytes, the CRM's Retry-After
// honoured), the tracer's own tickets left out, and each field the create body writes is sampled
// at the same path in the records. The "schema" a profile is tied to is the set of those paths.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../errors.ts';
import type { Scalar } from '../expressions.ts';
import type { HttpSettings } from '../settings.ts';
import type { TargetSample } from '../profile/types.ts';
import { HttpFailure, httpError, pick, send } from './client.ts';

/** The profile's one "table": a CRM's ticket as its API returns it. */
export const CRM_TABLE = 'crm';
/** Waiting out a CRM's rate limit never takes longer than this per page. */
const MAX_RETRY_AFTER_MS = 30_000;

export interface BodyField {
  /** The keys from the body's root to this value; path is them joined with dots. */
  keys: string[];
  path: string;
  /** The mapping expression when the value is exactly one {{expr}}, else the template text. */
  source: string;
}

const WHOLE = /^\{\{\s*([^}]+?)\s*\}\}$/;

/** Every value of the create body that a canary fills ({{...}}); fixed literals are the same on every ticket. */
export function bodyFields(template: unknown, keys: string[] = []): BodyField[] {
  if (typeof template === 'string') {
    if (!template.includes('{{')) return [];
    return [{ keys, path: keys.join('.'), source: WHOLE.exec(template)?.[1] ?? template }];
  }
  if (Array.isArray(template)) return template.flatMap((t, i) => bodyFields(t, [...keys, String(i)]));
  if (template && typeof template === 'object') return Object.entries(template).flatMap(([k, v]) => bodyFields(v, [...keys, k]));
  return [];
}

export const fieldsHash = (fields: BodyField[]) => createHash('sha256').update(fields.map((f) => f.path).sort().join('\u0000')).digest('hex');

type Learn = NonNullable<HttpSettings['learn']>;

/**
 * Reads up to limit real records. Values are handed to the learner and dropped; nothing read is
 * stored or logged. A CRM that refuses, times out or answers without a list fails the whole read.
 */
export async function sampleCrm(
  s: HttpSettings & { secret?: string }, headers: Record<string, string>, fields: BodyField[], limit: number, exclude: Set<string>,
): Promise<TargetSample> {
  const l = s.learn!;
  const records: unknown[] = [];
  const interval = 1000 / l.requestsPerSecond;
  let last = 0;
  for (let page = l.firstPage; records.length < limit; page++) {
    const wait = last + interval - performance.now();
    if (wait > 0) await sleep(wait);
    last = performance.now();
    const items = await readPage(s, l, headers, page);
    records.push(...items.filter((r) => !exclude.has(String(pick(r, l.refPath) ?? ''))).slice(0, limit - records.length));
    if (items.length < l.pageSize) break;
  }
  // The learner reads key sequences oldest first.
  if (l.order === 'newest-first') records.reverse();
  return {
    schemaHash: fieldsHash(fields),
    rowsPerTable: { [CRM_TABLE]: records.length },
    columns: fields.map((f) => ({
      table: CRM_TABLE, column: f.path, source: f.source, isKey: false, generated: false,
      values: records.map((r) => scalarAt(r, f.keys)),
    })),
  };
}

/**
 * The highest number each counter field holds in the CRM now (prefix and digits, T100500 → 100500),
 * read from its list: the first page where it lists newest first, every page where oldest first.
 * The tracer's own tickets count too: their values are taken.
 */
export async function counterHighs(
  s: HttpSettings, headers: Record<string, string>, counters: Array<{ keys: string[]; prefix: string }>,
): Promise<Array<number | undefined>> {
  const l = s.learn!;
  const highs: Array<number | undefined> = counters.map(() => undefined);
  const interval = 1000 / l.requestsPerSecond;
  let last = 0;
  for (let page = l.firstPage; ; page++) {
    const wait = last + interval - performance.now();
    if (wait > 0) await sleep(wait);
    last = performance.now();
    const items = await readPage(s, l, headers, page);
    for (const record of items) {
      counters.forEach((c, i) => {
        const v = scalarAt(record, c.keys);
        const text = v === null ? '' : String(v);
        const digits = text.startsWith(c.prefix) ? /^(\d+)$/.exec(text.slice(c.prefix.length))?.[1] : undefined;
        if (digits !== undefined && (highs[i] === undefined || Number(digits) > highs[i]!)) highs[i] = Number(digits);
      });
    }
    if (l.order === 'newest-first' || items.length < l.pageSize) return highs;
  }
}

async function readPage(s: HttpSettings, l: Learn, headers: Record<string, string>, page: number): Promise<unknown[]> {
  const query = new URLSearchParams({ ...l.query, [l.pageParam]: String(page), [l.sizeParam]: String(l.pageSize) });
  const url = `${s.baseUrl.replace(/\/+$/, '')}${l.path}?${query}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const { body } = await send({ method: 'GET', url, headers, maxBytes: l.maxPageBytes }, s);
      const items = l.resultsPath ? pick(body, l.resultsPath) : body;
      if (!Array.isArray(items)) throw new AppError('target-unreadable', `target "${s.name}": the list answer has no list at "${l.resultsPath ?? '$'}"`, 502);
      return items;
    } catch (err) {
      // The CRM's rate limit: wait as long as it asks (bounded), a few times, then give up.
      const f = err instanceof HttpFailure ? err.failure : undefined;
      if (f?.kind === 'status' && f.status === 429 && attempt < s.retries) {
        await sleep(Math.min(MAX_RETRY_AFTER_MS, f.retryAfterMs ?? s.backoffMs * 2 ** attempt));
        continue;
      }
      throw httpError(s.name, err);
    }
  }
}

/** A record's value at a field's path, if it is a plain value (objects and lists are not learned from). */
function scalarAt(record: unknown, keys: string[]): Scalar {
  let node = record;
  for (const k of keys) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as Record<string, unknown>)[k];
  }
  return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean' ? node : null;
}
