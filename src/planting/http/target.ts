// The HTTP connector: a CRM's REST API. The ticket is created from a declared JSON body template
// (values land in JSON values only), the reference comes from a declared path in the answer;
// withdraw is DELETE or a status change, verify is GET, reconcile uses a declared search.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { compileTemplate, renderTemplate, requestContext, type Expression, type ExpressionContext } from '../expressions.ts';
import type { HttpSettings } from '../settings.ts';
import { sameValue } from '../compare.ts';
import { PlantingOutcomeUnknown, type PlannedWrites, type PlantResult, type PlantingDetails, type PlantingRequest, type PlantingTarget, type ProfileState, type VerifyResult } from '../target.ts';
import { ProfileShaper, type Counter } from '../profile/shaper.ts';
import type { TargetProfile, TargetSample } from '../profile/types.ts';
import { HttpFailure, httpError, pick, send, type HttpCall } from './client.ts';
import { bodyFields, counterHighs, CRM_TABLE, fieldsHash, sampleCrm, type BodyField } from './profiled.ts';

const ALL_ROOTS = { roots: ['persona', 'ticket', 'variant', 'channel', 'routing', 'externalRef'] };

export class HttpTarget implements PlantingTarget {
  readonly kind = 'http';
  readonly name: string;
  private readonly expressions: Map<string, Expression>;
  /** The create body's fields a canary fills: what a profile learns and shapes. */
  private readonly fields: BodyField[];
  private shaper: ProfileShaper | null = null;
  /** Plantings that take a counter value, chained one after another. */
  private counting: Promise<unknown> = Promise.resolve();
  /** Per counter field, the highest value this process gave a canary. */
  private readonly takenCounter = new Map<string, number>();
  private profileWarning: string | undefined;
  /** Only a CRM that declares where its records are listed can be learned (the service says so otherwise). */
  readonly sample?: (o: { limit: number; exclude: Map<string, Set<string>> }) => Promise<TargetSample>;
  readonly useProfile?: (profile: TargetProfile | null) => void;

  constructor(private readonly s: HttpSettings & { secret?: string }, private readonly clock?: () => Date) {
    this.name = s.name;
    this.expressions = compileTemplate([s.create, s.withdraw, s.verify ?? null, s.search ?? null], ALL_ROOTS);
    this.fields = bodyFields(s.create.body);
    if (s.learn) {
      this.sample = (o) => sampleCrm(this.s, this.auth(), this.fields, o.limit, o.exclude.get(CRM_TABLE) ?? new Set());
      this.useProfile = (profile) => this.applyProfile(profile);
    }
  }

  /** Bodies are drawn to the profile (phone layout, id scheme, dates, shares); a profile of other fields is refused. */
  private applyProfile(profile: TargetProfile | null): void {
    this.profileWarning = profile && profile.schemaHash !== fieldsHash(this.fields)
      ? `target "${this.name}": the profile learned ${profile.learnedAt} is of other body fields; canaries use declared formats` : undefined;
    // The fields a search finds a ticket by are never left blank.
    const searched = new Set(Object.values(this.s.search?.query ?? {}).map((t) => /^\{\{\s*([^}]+?)\s*\}\}$/.exec(t)?.[1]));
    const columns = Object.fromEntries(this.fields.map((f) => [f.path, f.source]));
    const lookup = this.fields.filter((f) => searched.has(f.source)).map((f) => f.path);
    this.shaper = profile && !this.profileWarning
      ? new ProfileShaper(profile, CRM_TABLE, [{ table: CRM_TABLE, key: this.s.learn?.refPath ?? 'id', generated: true, unique: [], lookup, columns }], this.clock)
      : null;
  }

  profileState(): ProfileState {
    if (this.profileWarning) return { state: 'refused', warning: this.profileWarning };
    return this.shaper ? { state: 'applied', learnedAt: this.shaper.profile.learnedAt } : { state: 'none' };
  }

  async plant(r: PlantingRequest): Promise<PlantResult> {
    const counters = this.s.learn ? this.shaper?.counters(CRM_TABLE) ?? [] : [];
    if (counters.length === 0) return this.post(this.createCall(r));
    // One planting at a time reads the CRM's highest value and takes the next: two never take the same.
    const run = this.counting.then(async () => {
      const call = this.createCall(r);
      await this.takeCounters(call.body, counters);
      return this.post(call);
    });
    this.counting = run.catch(() => {});
    return run;
  }

  /**
   * Where the profile says a field counts up (T100500, T100501), the canary takes the next free value
   * at write time: after the highest the CRM lists now, and after any this process took before
   * (the CRM's list may not show a ticket just created yet).
   */
  private async takeCounters(body: unknown, counters: Counter[]): Promise<void> {
    const fields = counters.map((c) => ({ ...c, keys: this.fields.find((f) => f.path === c.column)!.keys }));
    let highs: Array<number | undefined>;
    try {
      highs = await counterHighs(this.s, this.auth(), fields);
    } catch (err) {
      throw err instanceof AppError ? new AppError(err.code, `${err.message}; the next free ${fields.map((f) => f.column).join(', ')} could not be read, nothing was created`, err.status) : err;
    }
    fields.forEach((c, i) => {
      const known = [highs[i], this.takenCounter.get(c.column)].filter((x): x is number => x !== undefined);
      const next = known.length ? Math.max(...known) + c.step : 10 ** (c.width - 1);
      this.takenCounter.set(c.column, next);
      const parent = c.keys.slice(0, -1).reduce<unknown>((n, k) => (n as Record<string, unknown> | null)?.[k], body) as Record<string, unknown> | null;
      const key = c.keys.at(-1)!;
      if (!parent) return;
      parent[key] = typeof parent[key] === 'number' && c.prefix === '' ? next : `${c.prefix}${String(next).padStart(c.width, '0')}`;
    });
  }

  private async post(call: HttpCall & { body: unknown }): Promise<PlantResult> {
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
    const planted = this.createCall(r).body;
    // A value the profile reshaped is searched for as it was written.
    const written = (template: string) => {
      const expr = /^\{\{\s*([^}]+?)\s*\}\}$/.exec(template)?.[1];
      const f = this.shaper && expr !== undefined ? this.fields.find((x) => x.source === expr) : undefined;
      return f ? pick(planted, f.path) : undefined;
    };
    const rendered = renderTemplate(search.query, ctx, this.expressions) as Record<string, unknown>;
    const query = new URLSearchParams(Object.entries(rendered).map(([k, v]) => [k, String(written(search.query[k]!) ?? v ?? '')]));
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
    return { externalRef: String(ref), details: { body: planted as PlantingDetails } };
  }

  private createCall(r: PlantingRequest): HttpCall & { body: unknown } {
    const ctx = requestContext(r);
    const body = renderTemplate(this.s.create.body, ctx, this.expressions);
    if (this.shaper) {
      for (const f of this.fields) {
        const parent = f.keys.slice(0, -1).reduce<unknown>((n, k) => (n as Record<string, unknown> | null)?.[k], body) as Record<string, unknown> | null;
        const key = f.keys.at(-1);
        const v = parent && key !== undefined ? parent[key] : undefined;
        if (key === undefined || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) continue;
        parent![key] = this.shaper.shape(CRM_TABLE, f.path, v, ctx);
      }
    }
    return { method: this.s.create.method, url: this.url(this.s.create.path, ctx), headers: this.auth(), body };
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
