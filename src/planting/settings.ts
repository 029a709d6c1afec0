// The targets file (TARGETS_FILE): which of the utility's systems canaries are planted into, and
// how. One zod schema gives the check at start-up and the types. Secrets never live in the file:
// it names the environment variable that holds each one (passwordEnv, tokenEnv).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError, describeIssues } from '../errors.ts';
import { compileExpression, compileTemplate, type ExpressionRules } from './expressions.ts';

export const SAMPLE_TARGET = 'utility-sample';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain SQL identifier (letters, digits, _)');
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name');
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const expression = (rules: ExpressionRules) =>
  z.string().min(1).max(500).superRefine((text, ctx) => {
    try {
      compileExpression(text, rules);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });

const SQL_ROOTS: ExpressionRules = { roots: ['persona', 'ticket', 'variant', 'channel', 'routing', 'ref'] };
const ROW_ROOTS: ExpressionRules = { roots: ['persona', 'ticket', 'variant', 'channel', 'routing'] };
/** Withdrawing and re-reading know the reference the target gave, and nothing else of the canary. */
const REF_ROOTS: ExpressionRules = { roots: ['externalRef'] };

const sqlTable = z.strictObject({
  table: identifier,
  /** The column that identifies a row: withdraw and verify find rows by it, and only by it. */
  key: identifier,
  /** The database generates the key (serial, identity, AUTO_INCREMENT, INTEGER PRIMARY KEY). */
  generated: z.boolean().default(false),
  /** Written once per canary: a second planting of the same canary in this target reuses the row. */
  perCanary: z.boolean().default(false),
  columns: z.record(identifier, expression(SQL_ROOTS)),
  /** Columns whose values no real record may already hold (checked before planting). */
  unique: z.array(identifier).default([]),
  /** Columns that find this planting's row again after a crash (reconcile). */
  lookup: z.array(identifier).optional(),
  /** Columns the utility's staff legitimately change (ticket status): verify ignores them. */
  volatile: z.array(identifier).default([]),
});

export const sqlMapping = z
  .strictObject({
    tables: z.array(sqlTable).min(1).max(20),
    /** The table whose key is the planting's externalRef (default: the last table). */
    ticketTable: identifier.optional(),
    /** Routing values that must be ones real records already carry, or the canary would stand out. */
    routingChecks: z.array(z.strictObject({ routing: identifier, table: identifier, column: identifier })).default([]),
    withdraw: z
      .discriminatedUnion('mode', [
        z.strictObject({ mode: z.literal('delete') }),
        z.strictObject({ mode: z.literal('status'), set: z.record(identifier, z.record(identifier, scalar)) }),
      ])
      .default({ mode: 'delete' }),
  })
  .superRefine((m, ctx) => {
    const seen = new Map<string, Set<string>>();
    m.tables.forEach((t, i) => {
      const cols = new Set([...Object.keys(t.columns), ...(t.generated ? [t.key] : [])]);
      if (!t.generated && !(t.key in t.columns)) ctx.addIssue({ code: 'custom', path: ['tables', i, 'key'], message: `"${t.key}" is neither generated nor given a value` });
      for (const c of [...t.unique, ...(t.lookup ?? []), ...t.volatile]) {
        if (!cols.has(c)) ctx.addIssue({ code: 'custom', path: ['tables', i], message: `"${c}" is not one of ${t.table}'s mapped columns` });
      }
      for (const [col, text] of Object.entries(t.columns)) {
        for (const [table, column] of safeRefs(text)) {
          if (!seen.get(table)?.has(column)) {
            ctx.addIssue({ code: 'custom', path: ['tables', i, 'columns', col], message: `ref.${table}.${column} must name a column of an earlier table` });
          }
        }
      }
      if (seen.has(t.table)) ctx.addIssue({ code: 'custom', path: ['tables', i, 'table'], message: `table "${t.table}" is mapped twice` });
      seen.set(t.table, cols);
    });
    if (m.ticketTable && !seen.has(m.ticketTable)) ctx.addIssue({ code: 'custom', path: ['ticketTable'], message: `"${m.ticketTable}" is not mapped` });
    if (m.withdraw.mode === 'status') {
      for (const table of Object.keys(m.withdraw.set)) {
        if (!seen.has(table)) ctx.addIssue({ code: 'custom', path: ['withdraw', 'set', table], message: `"${table}" is not mapped` });
      }
    }
  });
export type SqlMapping = z.output<typeof sqlMapping>;
export type SqlTableMapping = SqlMapping['tables'][number];

function safeRefs(text: string): Array<[string, string]> {
  try {
    return compileExpression(text, SQL_ROOTS).refs;
  } catch {
    return [];
  }
}

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes')
  .refine((n) => n !== SAMPLE_TARGET, `"${SAMPLE_TARGET}" is the embedded sample target's name`);

const network = {
  name,
  host: z.string().min(1).default('127.0.0.1'),
  database: z.string().min(1),
  user: z.string().min(1),
  passwordEnv: envName.optional(),
  connectTimeoutMs: z.number().int().min(100).max(120_000).default(5000),
  mapping: sqlMapping,
};

const postgres = z.strictObject({
  ...network, kind: z.literal('postgres'), port: z.number().int().default(5432), schema: identifier.default('public'),
  ssl: z.boolean().default(false),
});
const mysql = z.strictObject({ ...network, kind: z.literal('mysql'), port: z.number().int().default(3306) });
const sqlite = z.strictObject({ name, kind: z.literal('sqlite'), file: z.string().min(1), mapping: sqlMapping });

const template = z.json();
const http = z.strictObject({
  name,
  kind: z.literal('http'),
  baseUrl: z.url({ protocol: /^https?$/ }),
  auth: z.strictObject({ header: z.string().default('Authorization'), scheme: z.string().default('Bearer'), tokenEnv: envName }).optional(),
  timeoutMs: z.number().int().min(50).max(120_000).default(5000),
  retries: z.number().int().min(0).max(10).default(3),
  backoffMs: z.number().int().min(1).max(60_000).default(250),
  idempotencyHeader: z.string().min(1).default('Idempotency-Key'),
  create: z.strictObject({ method: z.enum(['POST', 'PUT']).default('POST'), path: z.string().startsWith('/'), body: template, refPath: z.string().min(1) }),
  withdraw: z.strictObject({ method: z.enum(['DELETE', 'PATCH', 'PUT', 'POST']), path: z.string().startsWith('/'), body: template.optional() }),
  verify: z.strictObject({ path: z.string().startsWith('/'), bodyPath: z.string().optional(), volatile: z.array(z.string()).default([]) }).optional(),
  search: z.strictObject({ path: z.string().startsWith('/'), query: z.record(z.string(), z.string()), resultsPath: z.string().optional(), refPath: z.string().min(1) }).optional(),
  /**
   * Where `tracer targets learn` reads the CRM's real records: a list request, page by page, at most
   * requestsPerSecond, each answer at most maxPageBytes. Records are read as the create body is
   * written (the same field paths); refPath finds a record's id, so the tracer's own are left out.
   */
  learn: z.strictObject({
    path: z.string().startsWith('/').refine((p) => !p.includes('{{'), 'a fixed path (no {{...}})'),
    query: z.record(z.string(), z.string()).default({}),
    resultsPath: z.string().optional(),
    refPath: z.string().min(1).default('id'),
    pageParam: z.string().min(1).default('page'),
    firstPage: z.number().int().min(0).default(1),
    sizeParam: z.string().min(1).default('per_page'),
    pageSize: z.number().int().min(1).max(1000).default(100),
    order: z.enum(['newest-first', 'oldest-first']).default('newest-first'),
    requestsPerSecond: z.number().min(0.1).max(100).default(5),
    maxPageBytes: z.number().int().min(1024).max(50_000_000).default(2_000_000),
  }).optional(),
}).superRefine((h, ctx) => {
  const check = (tpl: unknown, rules: ExpressionRules, at: string) => {
    try {
      compileTemplate(tpl, rules);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: [at], message: (err as Error).message });
    }
  };
  check(h.create.body, ROW_ROOTS, 'create');
  check([h.withdraw.path, h.withdraw.body ?? null], REF_ROOTS, 'withdraw');
  if (h.verify) check(h.verify.path, REF_ROOTS, 'verify');
  if (h.search) check([h.search.path, h.search.query], ROW_ROOTS, 'search');
});

const csvColumn = z.strictObject({ header: z.string().min(1).max(200), value: expression(ROW_ROOTS) });
const csvWithdrawColumn = z.strictObject({ header: z.string().min(1).max(200), value: expression(REF_ROOTS) });
const csv = z.strictObject({
  name,
  kind: z.literal('csv'),
  directory: z.string().min(1),
  /** {date} becomes the planting's local date: one import file per day. */
  fileName: z.string().regex(/^[\w.{}-]+\.csv$/, 'a plain file name ending in .csv').default('tickets-{date}.csv'),
  delimiter: z.enum([',', ';', '\t']).default(','),
  bom: z.boolean().default(false),
  columns: z.array(csvColumn).min(1).max(200),
  /** The column that identifies a row (default: the first); verify and reconcile find rows by it. */
  keyColumn: z.string().optional(),
  /** Withdrawals of imported canaries: a file staff import to close them ({date} as above). */
  withdraw: z.strictObject({ fileName: z.string().regex(/^[\w.{}-]+\.csv$/), columns: z.array(csvWithdrawColumn).min(1) }).optional(),
}).superRefine((c, ctx) => {
  if (c.keyColumn && !c.columns.some((col) => col.header === c.keyColumn)) {
    ctx.addIssue({ code: 'custom', path: ['keyColumn'], message: `"${c.keyColumn}" is not one of the columns` });
  }
});

const intakeCall = z.strictObject({
  name,
  kind: z.literal('intake-call'),
  /** The number staff dial, as they should dial it. */
  intakeLine: z.string().min(3).max(60),
  /** When the line answers, in the staff's words ("Sun–Thu 08:00–16:00"). */
  hours: z.string().max(200).optional(),
});

export const targetSettings = z.discriminatedUnion('kind', [postgres, mysql, sqlite, http, csv, intakeCall]);
export type TargetSettings = z.output<typeof targetSettings>;
export type PostgresSettings = z.output<typeof postgres>;
export type MysqlSettings = z.output<typeof mysql>;
export type HttpSettings = z.output<typeof http>;
export type CsvSettings = z.output<typeof csv>;
export type IntakeCallSettings = z.output<typeof intakeCall>;

const targetsFile = z.strictObject({ targets: z.array(targetSettings).max(100) }).superRefine((f, ctx) => {
  const names = f.targets.map((t) => t.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: ['targets', i, 'name'], message: `"${n}" is used twice` });
  });
});

/** A target's settings with its secret read from the environment variable the file names. */
export type ResolvedTarget = TargetSettings & { secret?: string };

/** Reads, checks and resolves the targets file. Relative paths are relative to the file. */
export function loadTargetsFile(file: string, env: Record<string, string | undefined>): ResolvedTarget[] {
  const fail = (why: string) => new AppError('invalid-config', `TARGETS_FILE ${file}: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw fail((err as Error).message);
  }
  const secretInFile = JSON.stringify(raw).match(/"(password|token|apiKey|secret)"\s*:/);
  if (secretInFile) throw fail(`"${secretInFile[1]}" must not be in the file: name an environment variable (passwordEnv, tokenEnv)`);
  const parsed = targetsFile.safeParse(raw);
  if (!parsed.success) throw fail(describeIssues(parsed.error.issues));
  const dir = path.dirname(path.resolve(file));
  return parsed.data.targets.map((t) => {
    const secretEnv = 'passwordEnv' in t ? t.passwordEnv : t.kind === 'http' ? t.auth?.tokenEnv : undefined;
    const secret = secretEnv === undefined ? undefined : env[secretEnv];
    if (secretEnv !== undefined && secret === undefined) throw fail(`target "${t.name}" needs environment variable ${secretEnv}, which is not set`);
    const resolved: ResolvedTarget = { ...t, ...(secret === undefined ? {} : { secret }) };
    if (resolved.kind === 'sqlite') resolved.file = path.resolve(dir, resolved.file);
    if (resolved.kind === 'csv') resolved.directory = path.resolve(dir, resolved.directory);
    return resolved;
  });
}
