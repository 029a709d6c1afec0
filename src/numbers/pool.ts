import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { PurchaseRequest } from './provider.ts';
import type { CanaryNumber, NumberRepository } from './repository.ts';
import type { SimulatedProvider } from './simulated-provider.ts';
import { nationalPrefix, NumberSpread } from './spread.ts';

/** What a minted number is bought with: the same webhooks, label and SIDs as a provisioned one. */
export type PurchaseTerms = (country: string) => Omit<PurchaseRequest, 'phoneNumber'>;

/**
 * Hands each new canary a number no canary ever had. Ready numbers (burnt in, not controls, still
 * on the account) come first. With the simulated provider and none ready, a number is minted
 * through the provider and goes straight to ready: a fictional number has no outside traffic to
 * measure, so a burn-in would only make the demo wait 14 days. On Twilio, numbers come only from
 * `tracer numbers provision` and their burn-in.
 */
export class NumberPool {
  /** Numbers minted whose row may yet roll back: settled (kept or released) after the transaction. */
  private unsettled: Array<{ providerSid: string; phoneNumber: string }> = [];

  constructor(
    private readonly repo: NumberRepository,
    private readonly simulated: SimulatedProvider | undefined,
    private readonly terms: PurchaseTerms,
    /** The spread of prefixes the targets' real customers show (from their profiles). */
    readonly spread: NumberSpread = new NumberSpread(),
    /** Whether the store has a transaction open (a row seen now may still roll back). */
    private readonly inTransaction: () => boolean = () => false,
  ) {}

  /** Must run inside the caller's transaction. */
  assignFresh(country: string, at: string): CanaryNumber {
    const seed = (c: string) => this.assignedPrefixes(c);
    const order = this.spread.order(country, seed);
    let number: CanaryNumber | undefined;
    for (const prefix of order) {
      number = this.repo.takeReady(country, prefix) ?? (this.simulated ? this.mintSimulated(country, at, prefix) : undefined);
      if (number) break;
    }
    number ??= this.repo.takeReady(country) ?? (this.simulated ? this.mintSimulated(country, at) : undefined);
    if (!number) {
      throw new AppError(
        'number-pool-exhausted',
        `no ready canary number for country ${country}: provision more with "tracer numbers provision --country ${country}" ` +
          'and let them finish their burn-in',
        409,
      );
    }
    this.repo.markAssigned(number.id, at);
    if (order.length) this.spread.assigned(country, number.phoneNumber, order[0], seed);
    return { ...number, status: 'assigned', assignedAt: at };
  }

  /**
   * A real record of a target already holds this number (a real customer's mobile): calls to it are
   * that customer's, so it leaves service, released at once (no canary ever carried it). Must run
   * inside the caller's transaction. Returns the number as it was, or undefined when it was not assigned.
   */
  setAsideHeld(numberId: string, at: string): CanaryNumber | undefined {
    const n = this.repo.find(numberId);
    return n && this.repo.retireUnplanted(numberId, at, 'held-by-real-record') ? n : undefined;
  }

  /** A canary that never reached a target gives its number back (inside the caller's transaction). */
  returnUnused(numberId: string): void {
    this.repo.unassign(numberId);
  }

  /**
   * A minted number is recorded in the same transaction that assigns it; when that transaction
   * rolls back (a refused request), the row is gone and the simulator must give the number back.
   * Runs right after the transaction (a microtask: better-sqlite3 transactions are synchronous)
   * and again before the next mint, in case a caller's transaction spans an await.
   */
  settleMinted(): void {
    const still: typeof this.unsettled = [];
    for (const m of this.unsettled) {
      if (!this.repo.findByPhone(m.phoneNumber)) this.simulated!.releaseNow(m.providerSid);
      else if (this.inTransaction()) still.push(m);
    }
    this.unsettled = still;
  }

  /** Prefixes of the numbers canaries already hold, counted once per run. */
  private assignedPrefixes(country: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const phone of this.repo.assignedPhones(country)) {
      const p = nationalPrefix(phone)?.prefix;
      if (p) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    return counts;
  }

  private mintSimulated(country: string, at: string, prefix?: string): CanaryNumber | undefined {
    this.settleMinted();
    let minted;
    try {
      minted = this.simulated!.mintNow(country, this.terms(country), (phone) => !this.repo.findByPhone(phone), prefix);
    } catch (err) {
      if (prefix !== undefined) return undefined;
      const reason = err instanceof Error ? err.message : String(err);
      throw new AppError('number-pool-exhausted', `no simulated number for country ${country}: ${reason} (see SIM_NUMBER_RANGES)`, 409);
    }
    this.unsettled.push({ providerSid: minted.owned.providerSid, phoneNumber: minted.owned.phoneNumber });
    if (this.unsettled.length === 1) queueMicrotask(() => this.settleMinted());
    const id = newId('num');
    this.repo.insert({
      id,
      phoneNumber: minted.owned.phoneNumber,
      country: country.toUpperCase(),
      provider: 'simulated',
      providerSid: minted.owned.providerSid,
      status: 'ready',
      readyAt: at,
      numberType: minted.type,
      friendlyName: minted.owned.friendlyName,
      monthlyPrice: minted.price?.price ?? null,
      currency: minted.price?.currency ?? null,
      backfilledUntil: at,
      createdAt: at,
    });
    return this.repo.find(id)!;
  }
}
