// The small language a target's mapping uses to say where a value comes from:
//   persona.fullName · variant.reference · routing.queue · ref.customers.customer_id · 'residential'
//   persona.address.postalCode ?? persona.address.zip   (first one present)
//   ticket.createdAt | date                              (a transform)
// Expressions only ever produce values; connectors bind them as parameters or JSON values.
import type { Channel } from '../channels/channels.ts';
import type { Persona, PlantingVariant, Ticket } from '../identities/types.ts';
import { AppError } from '../errors.ts';

export type Scalar = string | number | boolean | null;

export interface ExpressionContext {
  persona?: Persona;
  ticket?: Ticket;
  variant?: PlantingVariant;
  channel?: Pick<Channel, 'name' | 'kind' | 'dimensions'>;
  routing?: Record<string, string>;
  /** SQL: values of rows written earlier in the same planting, by table then column. */
  ref?: Record<string, Record<string, Scalar>>;
  /** HTTP and CSV withdrawal: the reference the target gave. */
  externalRef?: string | null;
}

const ADDRESS = ['buildingNumber', 'street', 'district', 'city', 'postalCode', 'additionalNumber', 'shortAddress', 'state', 'zip'];
const KNOWN: Record<string, Set<string>> = {
  persona: new Set(['locale', 'fullName', 'fullNameLatin', 'nationalId', 'phone.e164', 'phone.national', 'landline.e164',
    'landline.national', 'accountNumber', 'openedAt', 'premiseId', 'meterSerial', ...ADDRESS.map((a) => `address.${a}`)]),
  ticket: new Set(['category', 'description', 'priority', 'status', 'intakeChannel', 'createdAt']),
  variant: new Set(['index', 'fullName', 'fullNameLatin', 'description', 'reference']),
  channel: new Set(['name', 'kind', 'dimensions.system', 'dimensions.handler', 'dimensions.shift']),
};

const TRANSFORMS: Record<string, (v: Scalar) => Scalar> = {
  /** 2026-11-24T10:12:01+03:00 → 2026-11-24 (the local date as written). */
  date: (v) => (v === null ? null : String(v).slice(0, 10)),
  /** → 2026-11-24 10:12:01, the local wall-clock time, for DATETIME columns without a zone. */
  'local-datetime': (v) => (v === null ? null : String(v).slice(0, 19).replace('T', ' ')),
  /** → 2026-11-24 07:12:01, in UTC. */
  'utc-datetime': (v) => (v === null ? null : new Date(String(v)).toISOString().slice(0, 19).replace('T', ' ')),
  digits: (v) => (v === null ? null : String(v).replace(/\D+/g, '')),
  upper: (v) => (v === null ? null : String(v).toUpperCase()),
  lower: (v) => (v === null ? null : String(v).toLowerCase()),
  number: (v) => (v === null || v === '' ? null : Number(v)),
  text: (v) => (v === null ? null : String(v)),
};

type Term = { literal: Scalar } | { root: string; path: string[] };

export interface Expression {
  source: string;
  /** Roots it reads: persona, ticket, variant, channel, routing, ref, externalRef. */
  roots: Set<string>;
  /** SQL refs it reads, as [table, column]. */
  refs: Array<[string, string]>;
  evaluate(ctx: ExpressionContext, where?: string): Scalar;
}

export interface ExpressionRules {
  /** Which roots this connector offers (ref for SQL, externalRef for withdrawals). */
  roots: ReadonlyArray<string>;
}

export function compileExpression(source: string, rules: ExpressionRules): Expression {
  const [head, ...transformNames] = source.split('|').map((s) => s.trim());
  const terms = head!.split('??').map((s) => parseTerm(s.trim(), rules, source));
  const transforms = transformNames.map((name) => {
    const fn = TRANSFORMS[name];
    if (!fn) throw new Error(`"${source}": unknown transform "${name}" (known: ${Object.keys(TRANSFORMS).join(', ')})`);
    return fn;
  });
  const paths = terms.filter((t): t is Extract<Term, { root: string }> => 'root' in t);
  return {
    source,
    roots: new Set(paths.map((t) => t.root)),
    refs: paths.filter((t) => t.root === 'ref').map((t) => [t.path[0]!, t.path[1]!]),
    evaluate(ctx, where) {
      let value: Scalar | undefined;
      for (const t of terms) {
        value = 'literal' in t ? t.literal : lookup(ctx, t);
        if (value !== undefined && value !== null) break;
      }
      if (value === undefined) {
        const routing = paths.find((t) => t.root === 'routing');
        if (routing && ctx.routing) {
          throw new AppError('missing-routing', `${where ?? source}: channel "${ctx.channel?.name}" has no routing value "${routing.path[0]}"`, 400);
        }
      }
      return transforms.reduce<Scalar>((v, fn) => fn(v), value ?? null);
    },
  };
}

function parseTerm(text: string, rules: ExpressionRules, source: string): Term {
  const literal = /^'((?:[^']|'')*)'$/.exec(text);
  if (literal) return { literal: literal[1]!.replaceAll("''", "'") };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { literal: Number(text) };
  if (text === 'null') return { literal: null };
  const [root, ...path] = text.split('.');
  if (!root || !rules.roots.includes(root)) {
    throw new Error(`"${source}": "${text}" must start with one of ${rules.roots.join(', ')} (or be a 'quoted' literal)`);
  }
  if (!path.every((p) => /^[A-Za-z0-9_]+$/.test(p))) throw new Error(`"${source}": "${text}" is not a dotted path`);
  const known = KNOWN[root];
  if (known && !known.has(path.join('.'))) throw new Error(`"${source}": ${root} has no field "${path.join('.')}"`);
  if (root === 'routing' && path.length !== 1) throw new Error(`"${source}": write routing.<key>`);
  if (root === 'ref' && path.length !== 2) throw new Error(`"${source}": write ref.<table>.<column>`);
  if (root === 'externalRef' && path.length !== 0) throw new Error(`"${source}": externalRef has no fields`);
  return { root, path };
}

function lookup(ctx: ExpressionContext, t: { root: string; path: string[] }): Scalar | undefined {
  let node: unknown = t.root === 'externalRef' ? ctx.externalRef : (ctx as Record<string, unknown>)[t.root];
  for (const key of t.path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  if (node === undefined) return undefined;
  if (node === null || typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return node;
  return JSON.stringify(node);
}

/** The context a planting request gives: routing falls back to nothing (a missing key is an error). */
export function requestContext(r: {
  persona: Persona; ticket: Ticket; variant: PlantingVariant; channel: Channel;
}, routing: Record<string, string> = r.channel.routing): ExpressionContext {
  const { name, kind, dimensions } = r.channel;
  return { persona: r.persona, ticket: r.ticket, variant: r.variant, channel: { name, kind, dimensions }, routing };
}

const TEMPLATE = /\{\{\s*([^}]+?)\s*\}\}/g;

/**
 * Fills a JSON template: a string that is exactly "{{expr}}" becomes the value itself (number,
 * null...); "{{expr}}" inside longer text is replaced within that string. Values only ever land in
 * JSON values, never in JSON text, so nothing a persona holds can change the document's shape.
 */
export function renderTemplate(template: unknown, ctx: ExpressionContext, compiled: Map<string, Expression>): unknown {
  if (typeof template === 'string') {
    const whole = /^\{\{\s*([^}]+?)\s*\}\}$/.exec(template);
    if (whole) return compiled.get(whole[1]!)!.evaluate(ctx);
    return template.replace(TEMPLATE, (_m, expr: string) => String(compiled.get(expr)!.evaluate(ctx) ?? ''));
  }
  if (Array.isArray(template)) return template.map((t) => renderTemplate(t, ctx, compiled));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, renderTemplate(v, ctx, compiled)]));
  }
  return template;
}

/** Compiles every {{expr}} in a template up front, so a typo fails at start-up, not at planting. */
export function compileTemplate(template: unknown, rules: ExpressionRules, into = new Map<string, Expression>()): Map<string, Expression> {
  if (typeof template === 'string') {
    for (const m of template.matchAll(TEMPLATE)) into.set(m[1]!, compileExpression(m[1]!, rules));
  } else if (Array.isArray(template)) {
    for (const t of template) compileTemplate(t, rules, into);
  } else if (template && typeof template === 'object') {
    for (const v of Object.values(template)) compileTemplate(v, rules, into);
  }
  return into;
}
