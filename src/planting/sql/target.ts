// The SQL connector: one implementation over PostgreSQL, MySQL/MariaDB and SQLite. A planting is
// one transaction across the mapped tables; the ticket table's key is the externalRef; every row
// written is recorded (table, key, values) so withdraw and verify touch those rows and no other.
import type { Channel } from '../../channels/channels.ts';
import type { Persona, Ticket } from '../../identities/types.ts';
import { AppError } from '../../errors.ts';
import { requestContext, type Expression, type ExpressionContext, type Scalar } from '../expressions.ts';
import type { SqlMapping, SqlTableMapping } from '../settings.ts';
import type { PlannedStep, PlannedWrites, PlantResult, PlantingDetails, PlantingRequest, PlantingTarget, ProfileState, SampleOptions, VerifyResult, WithdrawContext } from '../target.ts';
import { ProfileShaper } from '../profile/shaper.ts';
import type { TargetProfile, TargetSample } from '../profile/types.ts';
import { sampleTables, schemaHash } from './profiled.ts';
import { sqlAuditSource, type AuditSource } from '../audit/source.ts';
import { sameValue } from '../compare.ts';
import { deleteByKeyStatement, existingValuesStatement, selectByKeyStatement, selectWhereStatement, updateByKeyStatement } from './dialect.ts';
import { targetError, type SqlDriver } from './driver.ts';
import { RecordingTx, RowWriter, rowId, rowsOf, type WrittenRow } from './rows.ts';

export interface SqlTargetOptions {
  /** Routing a channel's tickets carry when the channel names none (the sample's per-kind queues). */
  routingFor?: (channel: Channel) => Record<string, string>;
  /** The tracer's clock: canary tickets drawn to a profile are never dated after it. */
  clock?: () => Date;
}

export class SqlTarget implements PlantingTarget {
  readonly kind: string;
  private ready: Promise<void> | null = null;
  private readonly writer: RowWriter;
  private readonly ticket: SqlTableMapping;
  /** Routing values already seen on real records: checked once per run. */
  private readonly knownRouting = new Set<string>();
  private profile: TargetProfile | null = null;
  private profileWarning: string | undefined;

  constructor(
    readonly name: string,
    private readonly driver: SqlDriver,
    private readonly mapping: SqlMapping,
    private readonly opts: SqlTargetOptions = {},
  ) {
    this.kind = driver.dialect;
    this.writer = new RowWriter(name, driver.dialect, mapping);
    const ticketName = mapping.ticketTable ?? mapping.tables.at(-1)!.table;
    this.ticket = mapping.tables.find((t) => t.table === ticketName)!;
  }

  /** Connects and checks every table and column the mapping names against the live schema. */
  check(): Promise<void> {
    this.ready ??= this.validateSchema().catch((err) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  /** Canaries are drawn to the learned profile from now on; checked against the live schema on first use. */
  useProfile(profile: TargetProfile | null): void {
    this.profile = profile;
    this.profileWarning = undefined;
    this.writer.shaper = profile ? new ProfileShaper(profile, this.ticket.table, this.mapping.tables, this.opts.clock) : null;
    if (this.ready) this.ready = this.ready.then(() => this.validateSchema());
  }

  profileState(): ProfileState {
    if (this.profileWarning) return { state: 'refused', warning: this.profileWarning };
    return this.profile ? { state: 'applied', learnedAt: this.profile.learnedAt } : { state: 'none' };
  }

  async sample(o: SampleOptions): Promise<TargetSample> {
    await this.check();
    try {
      return await sampleTables(this.driver, this.mapping, o.limit, o.exclude, o.onProgress);
    } catch (err) {
      throw targetError(this.name, err);
    }
  }

  /** What the distinguisher panel reads: the mapped tables, page by page. */
  async auditSource(): Promise<AuditSource> {
    await this.check();
    return sqlAuditSource(this.driver, this.mapping, this.ticket.table);
  }

  async plant(r: PlantingRequest): Promise<PlantResult> {
    return (await this.plantBatch([r]))[0]!;
  }

  async plantBatch(requests: PlantingRequest[]): Promise<PlantResult[]> {
    await this.check();
    const items = requests.map((r) => ({ ctx: this.contextFor(r), siblings: r.siblings }));
    await this.checkRouting(items.map((i) => i.ctx));
    let written: WrittenRow[][];
    try {
      written = await this.driver.transaction((tx) => this.writer.write(tx, items));
    } catch (err) {
      throw targetError(this.name, err);
    }
    return written.map((rows) => ({ externalRef: String(rows.find((w) => w.table === this.ticket.table)!.key), details: { rows } }));
  }

  async plan(r: PlantingRequest): Promise<PlannedWrites> {
    await this.check();
    const ctx = this.contextFor(r);
    await this.checkRouting([ctx]);
    const tx = new RecordingTx();
    const [rows] = await this.writer.write(tx, [{ ctx, siblings: r.siblings }]);
    const steps: PlannedStep[] = [
      { action: 'sql', sql: 'BEGIN', params: [] },
      ...tx.statements.map((s) => ({ action: 'sql', sql: s.sql, params: s.params })),
      { action: 'sql', sql: 'COMMIT', params: [] },
    ];
    return { steps, details: { rows } };
  }

  async collides(identity: { persona: Persona; ticket?: Ticket }): Promise<boolean> {
    return (await this.collidesMany([identity])).size > 0;
  }

  /** Identities whose unique values (account, premise, meter, national ID...) a real row already holds. */
  async collidesMany(identities: Array<{ persona: Persona; ticket?: Ticket }>): Promise<Set<number>> {
    return this.heldByRealRows(identities, false);
  }

  /**
   * A unique column whose value the canary's number alone decides (its expression gives the same value
   * from the number as from the whole identity: persona.phone.national, say) is looked up for these
   * identities; a clash there is the number's, which no redraw of the rest would change.
   */
  async numbersHeld(identities: Array<{ persona: Persona; ticket?: Ticket }>): Promise<Set<number>> {
    return this.heldByRealRows(identities, true);
  }

  /** The identities a real row clashes with on a unique column (only those the number alone decides, with `numberOnly`). */
  private async heldByRealRows(identities: Array<{ persona: Persona; ticket?: Ticket }>, onlyTheNumber: boolean): Promise<Set<number>> {
    await this.check();
    const held = new Set<number>();
    for (const t of this.mapping.tables) {
      for (const col of t.unique) {
        const ex = this.writer.compiled.get(t.table)!.get(col);
        if (!ex || ![...ex.roots].every((r) => r === 'persona' || r === 'ticket')) continue;
        const values = identities.map((id) => {
          const value = ex.evaluate({ persona: id.persona, ticket: id.ticket });
          if (value === null || (onlyTheNumber && value !== numberOnly(ex, id.persona))) return null;
          return this.asWritten(t.table, col, value, id);
        });
        if (values.every((v) => v === null)) continue;
        const found = await this.existing(t.table, col, values.filter((v): v is Exclude<Scalar, null> => v !== null));
        values.forEach((v, i) => v !== null && found.has(String(v).toLowerCase()) && held.add(i));
      }
    }
    return held;
  }

  writtenKeys(identities: Array<{ persona: Persona; ticket?: Ticket }>): string[][] {
    const out = identities.map((): string[] => []);
    for (const t of this.mapping.tables) {
      for (const col of new Set([...t.unique, ...(t.generated ? [] : [t.key])])) {
        const ex = this.writer.compiled.get(t.table)!.get(col);
        if (!ex || ![...ex.roots].every((r) => r === 'persona' || r === 'ticket')) continue;
        identities.forEach((id, i) => {
          const v = this.asWritten(t.table, col, ex.evaluate({ persona: id.persona, ticket: id.ticket }), id);
          if (v !== null) out[i]!.push(`${this.name}\u0000${t.table}.${col}:${String(v).toLowerCase()}`);
        });
      }
    }
    return out;
  }

  /** A value as the planting would write it: in the target's learned shape (its phone layout, say), when it has one. */
  private asWritten(table: string, col: string, value: Scalar, id: { persona: Persona; ticket?: Ticket }): Scalar {
    return this.writer.shaper && value !== null ? this.writer.shaper.shape(table, col, value, { persona: id.persona, ticket: id.ticket }) : value;
  }

  async withdraw(externalRef: string | null, details?: PlantingDetails, context?: WithdrawContext): Promise<void> {
    // Plantings recorded before details existed hold only the ticket's key.
    const rows = rowsOf(details) ?? (externalRef === null ? [] : [{ table: this.ticket.table, key: externalRef, values: {}, inserted: true }]);
    const inUse = new Set((context?.siblings ?? []).flatMap((d) => rowsOf(d) ?? []).map(rowId));
    const d = this.driver.dialect;
    const w = this.mapping.withdraw;
    await this.check();
    try {
      await this.driver.transaction(async (tx) => {
        for (const row of [...rows].reverse()) {
          if (inUse.has(rowId(row))) continue;
          const t = this.table(row.table);
          if (w.mode === 'delete') await tx.run(deleteByKeyStatement(d, t.table, t.key, row.key));
          else if (w.set[t.table]) await tx.run(updateByKeyStatement(d, t.table, w.set[t.table]!, t.key, row.key));
        }
      });
    } catch (err) {
      throw targetError(this.name, err);
    }
  }

  async verify(_externalRef: string | null, details: PlantingDetails): Promise<VerifyResult> {
    const rows = rowsOf(details);
    if (!rows?.length) return { state: 'unverifiable', reason: 'the planting recorded no rows' };
    await this.check();
    const differences: Array<{ field: string; written: unknown; found: unknown }> = [];
    const missing: string[] = [];
    for (const row of rows) {
      const t = this.table(row.table);
      const cols = Object.keys(row.values).filter((c) => !t.volatile.includes(c));
      const found = await this.read(selectByKeyStatement(this.driver.dialect, t.table, [t.key, ...cols], t.key, row.key));
      if (found.length === 0) {
        missing.push(`${t.table} ${t.key}=${String(row.key)}`);
        continue;
      }
      for (const c of cols) {
        if (!sameValue(row.values[c], found[0]![c])) differences.push({ field: `${t.table}.${c}`, written: row.values[c], found: found[0]![c] });
      }
    }
    if (missing.length) return { state: 'missing', what: missing.join(', ') };
    return differences.length ? { state: 'altered', differences } : { state: 'intact' };
  }

  /** After a crash: looks each table's row up by its look-up columns; the ticket row decides. */
  async find(r: PlantingRequest): Promise<PlantResult | null> {
    await this.check();
    const ctx = this.contextFor(r);
    const rows: WrittenRow[] = [];
    for (const t of this.mapping.tables) {
      const lookup = this.lookupColumns(t);
      if (lookup.length === 0) {
        throw new AppError('lookup-unsupported', `target "${this.name}": table ${t.table} declares no look-up columns`, 409);
      }
      const values = this.writer.render(t, ctx);
      const present = lookup.filter((c) => values[c] !== null && values[c] !== undefined);
      const where = Object.fromEntries((present.length ? present : lookup).map((c) => [c, values[c] ?? null]));
      const found = await this.read(selectWhereStatement(this.driver.dialect, t.table, [t.key], where));
      if (found.length === 0) return null;
      if (found.length > 1) throw new AppError('lookup-ambiguous', `target "${this.name}": ${found.length} rows of ${t.table} match`, 409);
      const key = found[0]![t.key] as Scalar;
      rows.push({ table: t.table, key, values, inserted: true });
      ctx.ref = { ...ctx.ref, [t.table]: { ...values, [t.key]: key } };
    }
    return { externalRef: String(rows.find((w) => w.table === this.ticket.table)!.key), details: { rows } };
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  /** Counter columns take their value at write time, so a look-up cannot rebuild them: the table's other columns stand in. */
  private lookupColumns(t: SqlTableMapping): string[] {
    const declared = t.lookup ?? (t.generated ? [] : [t.key]);
    const shaper = this.writer.shaper;
    const counters = new Set([...(shaper?.counters(t.table).map((c) => c.column) ?? []), ...[shaper?.arrivalColumn(t.table) ?? []].flat()]);
    if (!declared.some((c) => counters.has(c))) return declared;
    const rest = declared.filter((c) => !counters.has(c));
    return rest.length ? rest : Object.keys(t.columns).filter((c) => !counters.has(c) && c !== t.key);
  }

  private contextFor(r: PlantingRequest): ExpressionContext {
    return requestContext(r, { ...this.opts.routingFor?.(r.channel), ...r.channel.routing });
  }

  private table(name: string): SqlTableMapping {
    const t = this.mapping.tables.find((x) => x.table === name);
    if (!t) throw new AppError('target-schema-mismatch', `target "${this.name}": the planting names table ${name}, which the mapping no longer has`, 409);
    return t;
  }

  private async read(st: Parameters<SqlDriver['query']>[0]) {
    try {
      return await this.driver.query(st);
    } catch (err) {
      throw targetError(this.name, err);
    }
  }

  private async existing(table: string, column: string, values: Scalar[]): Promise<Set<string>> {
    const held = new Set<string>();
    for (let at = 0; at < values.length; at += 1000) {
      const rows = await this.read(existingValuesStatement(this.driver.dialect, table, column, values.slice(at, at + 1000)));
      for (const r of rows) held.add(String(r.v).toLowerCase());
    }
    return held;
  }

  /** A routing value no real record carries would make the canary stand out: refuse it. */
  private async checkRouting(ctxs: ExpressionContext[]): Promise<void> {
    for (const rc of this.mapping.routingChecks) {
      for (const value of new Set(ctxs.map((c) => c.routing?.[rc.routing]))) {
        if (value === undefined || this.knownRouting.has(`${rc.routing}=${value}`)) continue;
        const found = await this.read(selectWhereStatement(this.driver.dialect, rc.table, [rc.column], { [rc.column]: value }, 1));
        if (found.length === 0) {
          throw new AppError('unknown-routing', `target ${this.name}: no real record has ${rc.table}.${rc.column} = "${value}" (routing.${rc.routing})`, 400);
        }
        this.knownRouting.add(`${rc.routing}=${value}`);
      }
    }
  }

  private async validateSchema(): Promise<void> {
    let schema: Map<string, Set<string>>;
    try {
      schema = await this.driver.columns();
    } catch (err) {
      throw targetError(this.name, err);
    }
    const need = (table: string, columns: string[]) => {
      const have = schema.get(table);
      if (!have) throw new AppError('target-schema-mismatch', `target "${this.name}": table "${table}" does not exist`, 502);
      for (const c of columns) {
        if (!have.has(c)) throw new AppError('target-schema-mismatch', `target "${this.name}": column "${table}.${c}" does not exist`, 502);
      }
    };
    for (const t of this.mapping.tables) need(t.table, [t.key, ...Object.keys(t.columns)]);
    for (const rc of this.mapping.routingChecks) need(rc.table, [rc.column]);
    const w = this.mapping.withdraw;
    if (w.mode === 'status') for (const [table, set] of Object.entries(w.set)) need(table, Object.keys(set));
    if (this.profile && this.profile.schemaHash !== schemaHash(schema, this.mapping)) {
      this.profileWarning = `target "${this.name}": the profile learned ${this.profile.learnedAt} is older than the target's schema; ` +
        'canaries use declared formats until "tracer targets learn" is run again';
      this.writer.shaper = null;
    }
  }
}

/** The expression's value from the persona's number and nothing else (null when it needs more). */
function numberOnly(ex: Expression, persona: Persona): Scalar {
  try {
    return ex.evaluate({ persona: { phone: persona.phone } as Persona });
  } catch {
    return null;
  }
}
