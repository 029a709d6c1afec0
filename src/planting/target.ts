import type { Channel } from '../channels/channels.ts';
import { AppError } from '../errors.ts';
import type { Persona, PlantingVariant, Ticket } from '../identities/types.ts';
import type { TargetProfile, TargetSample } from './profile/types.ts';
import type { AuditSource } from './audit/source.ts';

/** Whether a target writes canaries in a learned shape, and why not when it does not. */
export interface ProfileState {
  state: 'applied' | 'none' | 'refused';
  learnedAt?: string;
  warning?: string;
}

/**
 * What a connector recorded about one planting (rows and keys, the request body, the CSV cells),
 * stored with it so withdraw and verify touch exactly what was written and nothing else.
 */
export type PlantingDetails = Record<string, unknown>;

/** What a target needs to write one canary into one channel's path, exactly like a real complaint. */
export interface PlantingRequest {
  persona: Persona;
  ticket: Ticket;
  variant: PlantingVariant;
  channel: Channel;
  /** Details of this canary's earlier plantings into the same target (shared customer rows are reused). */
  siblings?: PlantingDetails[];
}

/**
 * A planted canary answers with the reference the target gave it. A CSV import or an intake call
 * only prepares the planting: it stays pending until staff confirm it with the ticket number.
 */
export type PlantResult =
  | { externalRef: string; details?: PlantingDetails }
  | { awaitingConfirmation: true; details?: PlantingDetails };

export const isAwaiting = (r: PlantResult): r is Extract<PlantResult, { awaitingConfirmation: true }> =>
  'awaitingConfirmation' in r && r.awaitingConfirmation === true;

/** A pending planting's record once the target answered: planted, or waiting for staff. */
export function settle<P extends { status: string; externalRef: string | null; details: PlantingDetails }>(p: P, r: PlantResult): P {
  if (isAwaiting(r)) return { ...p, status: 'awaiting-confirmation', details: r.details ?? {} } as P;
  return { ...p, externalRef: r.externalRef, details: r.details ?? {} };
}

/**
 * The target may or may not have written the canary (a request timed out after it was sent). The
 * tracer keeps the planting pending so `tracer plantings reconcile` can find out, never forgets it.
 */
export class PlantingOutcomeUnknown extends AppError {
  constructor(target: string, cause: string) {
    super('planting-outcome-unknown', `target "${target}": ${cause}; the canary may be in the target, so its planting stays pending: run "tracer plantings reconcile"`, 504);
  }
}

export interface WithdrawContext {
  /** Details of this canary's other live plantings in the same target: rows they still use stay. */
  siblings?: PlantingDetails[];
}

export type VerifyResult =
  | { state: 'intact' }
  | { state: 'altered'; differences: Array<{ field: string; written: unknown; found: unknown }> }
  | { state: 'missing'; what: string }
  | { state: 'unverifiable'; reason: string };

/** One write a planting would make, shown by a dry run: a statement, a request, a CSV row, a call. */
export type PlannedStep = Record<string, unknown> & { action: string };
export interface PlannedWrites {
  steps: PlannedStep[];
  details?: PlantingDetails;
}

/** What learning asks of a target's sample; onProgress hears each table (or file) read. */
export interface SampleOptions {
  limit: number;
  exclude: Map<string, Set<string>>;
  onProgress?: (done: number, total: number) => void;
}

export interface PlantingTarget {
  readonly name: string;
  /** postgres, mysql, sqlite, http, csv, intake-call; absent for ad-hoc targets. */
  readonly kind?: string;
  /** Writes the canary (all its rows, or nothing) and returns the reference the target gave it. */
  plant(request: PlantingRequest): Promise<PlantResult>;
  /** Many canaries into one channel in one transaction: all or nothing. Targets without it plant one by one. */
  plantBatch?(requests: PlantingRequest[]): Promise<PlantResult[]>;
  /** True when a real record already holds one of this identity's keys (national ID, account, meter...). */
  collides?(identity: { persona: Persona; ticket?: Ticket }): Promise<boolean>;
  /** The indexes of identities a real record already holds keys of: one round trip for a batch. */
  collidesMany?(identities: Array<{ persona: Persona; ticket?: Ticket }>): Promise<Set<number>>;
  /**
   * The indexes of identities whose canary number itself a real record holds in a unique column (a
   * real customer's mobile): no redraw of the rest can clear that clash, only another number.
   */
  numbersHeld?(identities: Array<{ persona: Persona; ticket?: Ticket }>): Promise<Set<number>>;
  /**
   * Per identity, its unique values as this target would write them (an id redrawn in the target's
   * learned scheme, say): no two canaries of a run may share one, even where their own ids differ.
   */
  writtenKeys?(identities: Array<{ persona: Persona; ticket?: Ticket }>): string[][];
  /** Removes or closes what plant() wrote for this reference, touching no real record. */
  withdraw(externalRef: string | null, details?: PlantingDetails, context?: WithdrawContext): Promise<void | { note: string }>;
  /** Re-reads what was written and compares it field by field. */
  verify?(externalRef: string | null, details: PlantingDetails): Promise<VerifyResult>;
  /** After a crash: whether this planting reached the target (null = it did not). */
  find?(request: PlantingRequest): Promise<PlantResult | null>;
  /**
   * The writes plant() would make, making none (reads such as schema checks are allowed). details:
   * what plant() would record, so a later planting of the same canary plans its reuse of shared rows.
   */
  plan?(request: PlantingRequest): Promise<PlannedWrites>;
  /** A bounded sample of real rows per mapped column, for learning its profile (the tracer's own rows left out). */
  sample?(o: SampleOptions): Promise<TargetSample>;
  /** Writes canaries in this learned shape from now on (null: declared formats again). */
  useProfile?(profile: TargetProfile | null): void;
  profileState?(): ProfileState;
  /** Read access for the distinguisher panel (tracer plantings audit). */
  auditSource?(): Promise<AuditSource>;
  /** Connects and checks the configuration against the live system (schema, credentials). */
  check?(): Promise<void>;
  close?(): Promise<void> | void;
}

export class TargetRegistry {
  private readonly targets = new Map<string, PlantingTarget>();

  register(target: PlantingTarget): void {
    this.targets.set(target.name, target);
  }

  get(name: string): PlantingTarget | undefined {
    return this.targets.get(name);
  }

  names(): string[] {
    return [...this.targets.keys()];
  }

  all(): PlantingTarget[] {
    return [...this.targets.values()];
  }

  async closeAll(): Promise<void> {
    for (const t of this.targets.values()) await t.close?.();
  }
}
