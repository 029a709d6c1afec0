// The HTTP connector: a CRM's REST API. The ticket is created from a declared JSON body template
// (values land in JSON values only), the reference comes from a declared path in the answer;
// withdraw is DELETE or a status change, verify is GET, reconcile uses a declared search.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { compileTemplate, renderTemplate, requestContext, type Expression, type ExpressionContext } from '../expressions.ts';
import type { HttpSettings } from '../settings.ts';
import { sameValue } from '../compare.ts';
import { PlantingOutcomeUnknown, type PlannedWrites, type PlantResult, type PlantingDetails, type PlantingRequest, type PlantingTarget, type VerifyResult } from '../target.ts';
import { HttpFailure, httpError, pick, send, type HttpCall } from './client.ts';

const ALL_ROOTS = { roots: ['persona', 'ticket', 'variant', 'channel', 'routing', 'externalRef'] };

export class HttpTarget implements PlantingTarget {
  readonly kind = 'http';
  readonly name: string;
  private readonly expressions: Map<string, Expression>;

  constructor(private readonly s: HttpSettings & { secret?: string }) {
    this.name = s.name;
    this.expressions = compileTemplate([s.create, s.withdraw, s.verify ?? null, s.search ?? null], ALL_ROOTS);
  }

  async plant(r: PlantingRequest): Promise<PlantResult> {
    const call = this.createCall(r);
    let answer;
    try {
      // One key for every retry of this creation: a CRM that honours it never makes two tickets.
      answer = await send({ ...call, headers: { ...call.headers, [this.s.idempotencyHeader]: randomUUID() } }, this.s);
    } catch (err) {
      const f = err instanceof HttpFailure ? err.failure : undefined;
      if (f && (f.kind === 'timeout' || (f.kind === 'network' && f.sent))) throw new PlantingOutcomeUnknown(this.name, `the CRM never answered (${err instanceof Error ? err.message : ''})`);
      throw httpError(this.name, err);
    }
    const ref = pick(answer.body, this.s.create.refPath);
    if (typeof ref !== 'string' && typeof ref !== 'number') {
      throw new PlantingOutcomeUnknown(this.name, `the CRM answered ${answer.status} without a reference at "${this.s.create.refPath}"`);
    }
    return { externalRef: String(ref), details: { body: call.body as PlantingDetails } };
  }

  async plan(r: PlantingRequest): Promise<PlannedWrites> {
    const call = this.createCall(r);
    const headers = Object.fromEntries(Object.entries(call.headers).map(([k, v]) => [k, this.s.secret && v.includes(this.s.secret) ? '<from environment>' : v]));
    return { steps: [{ action: 'http', method: call.method, url: call.url, headers: { ...headers, [this.s.idempotencyHeader]: '<random per planting>' }, body: call.body }] };
  }

  async withdraw(externalRef: string | null): Promise<void | { note: string }> {
    if (externalRef === null) return;
    const w = this.s.withdraw;
    const ctx: ExpressionContext = { externalRef };
    const body = w.body === undefined ? undefined : renderTemplate(w.body, ctx, this.expressions);
    try {
      await send({ method: w.method, url: this.url(w.path, ctx), headers: this.auth(), body }, this.s);
    } catch (err) {
      const f = err instanceof HttpFailure ? err.failure : undefined;
      if (f?.kind === 'status' && (f.status === 404 || f.status === 410)) return { note: `the CRM no longer had ticket ${externalRef}` };
      throw httpError(this.name, err);
    }
  }

  async verify(externalRef: string | null, details: PlantingDetails): Promise<VerifyResult> {
    if (!this.s.verify) return { state: 'unverifiable', reason: `target "${this.name}" declares no verify request` };
    if (externalRef === null) return { state: 'unverifiable', reason: 'the planting has no reference' };
    let body: unknown;
    try {
      body = (await send({ method: 'GET', url: this.url(this.s.verify.path, { externalRef }), headers: this.auth() }, this.s)).body;
    } catch (err) {
      const f = err instanceof HttpFailure ? err.failure : undefined;
      if (f?.kind === 'status' && (f.status === 404 || f.status === 410)) return { state: 'missing', what: `ticket ${externalRef}` };
      throw httpError(this.name, err);
    }
    const found = this.s.verify.bodyPath ? pick(body, this.s.verify.bodyPath) : body;
    const differences = leaves(details.body)
      .filter(([path]) => !this.s.verify!.volatile.includes(path))
      .flatMap(([path, written]) => {
        const now = pick(found, path);
        return sameValue(written, now) ? [] : [{ field: path, written, found: now ?? null }];
      });
    return differences.length ? { state: 'altered', differences } : { state: 'intact' };
  }

  async find(r: PlantingRequest): Promise<PlantResult | null> {
    const search = this.s.search;
    if (!search) throw new AppError('lookup-unsupported', `target "${this.name}" declares no search request`, 409);
    const ctx = requestContext(r);
    const query = new URLSearchParams(Object.entries(renderTemplate(search.query, ctx, this.expressions) as Record<string, unknown>).map(([k, v]) => [k, String(v ?? '')]));
    let body: unknown;
    try {
      body = (await send({ method: 'GET', url: `${this.url(search.path, ctx)}?${query}`, headers: this.auth() }, this.s)).body;
    } catch (err) {
      throw httpError(this.name, err);
    }
    const results = search.resultsPath ? pick(body, search.resultsPath) : body;
    if (!Array.isArray(results)) throw new AppError('target-error', `target "${this.name}": the search answer has no list at "${search.resultsPath ?? '$'}"`, 502);
    if (results.length === 0) return null;
    if (results.length > 1) throw new AppError('lookup-ambiguous', `target "${this.name}": ${results.length} tickets match`, 409);
    const ref = pick(results[0], search.refPath);
    if (typeof ref !== 'string' && typeof ref !== 'number') throw new AppError('target-error', `target "${this.name}": the search result has no reference at "${search.refPath}"`, 502);
    return { externalRef: String(ref), details: { body: this.createCall(r).body as PlantingDetails } };
  }

  private createCall(r: PlantingRequest): HttpCall & { body: unknown } {
    const ctx = requestContext(r);
    return { method: this.s.create.method, url: this.url(this.s.create.path, ctx), headers: this.auth(), body: renderTemplate(this.s.create.body, ctx, this.expressions) };
  }

  private auth(): Record<string, string> {
    const a = this.s.auth;
    if (!a || this.s.secret === undefined) return {};
    return { [a.header]: a.scheme ? `${a.scheme} ${this.s.secret}` : this.s.secret };
  }

  /** Values in a path are URL-encoded path segments: a reference cannot add a segment or a query. */
  private url(pathTemplate: string, ctx: ExpressionContext): string {
    const path = pathTemplate.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_m, e: string) => encodeURIComponent(String(this.expressions.get(e)!.evaluate(ctx) ?? '')));
    return `${this.s.baseUrl.replace(/\/+$/, '')}${path}`;
  }
}

/** Every scalar in a JSON document with its dotted path: what verify compares. */
function leaves(node: unknown, prefix = ''): Array<[string, unknown]> {
  if (node !== null && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, node]];
}
