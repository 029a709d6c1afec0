import { randomInt } from 'node:crypto';
import type { NumberRange } from '../config.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { CanaryNumber, NumberRepository } from './repository.ts';

/**
 * Hands each new canary a number no canary ever had. Ready numbers from the pool come first; with
 * the simulated provider a fresh number is drawn at random from the configured fictional range
 * (at random, so canaries created together do not carry consecutive numbers).
 */
export class NumberPool {
  constructor(
    private readonly repo: NumberRepository,
    private readonly provider: 'simulated' | 'twilio',
    private readonly simRanges: NumberRange[],
  ) {}

  /** Must run inside the caller's transaction. */
  assignFresh(country: string, at: string): CanaryNumber {
    const ready = this.repo.takeReady(country);
    const number = ready ?? (this.provider === 'simulated' ? this.mintSimulated(country, at) : undefined);
    if (!number) {
      throw new AppError(
        'number-pool-exhausted',
        `no ready canary number for country ${country}: provision more with "tracer numbers provision"`,
        409,
      );
    }
    this.repo.markAssigned(number.id, at);
    return { ...number, status: 'assigned', assignedAt: at };
  }

  private mintSimulated(country: string, at: string): CanaryNumber {
    const range = this.simRanges.find((r) => r.country === country);
    if (!range) {
      throw new AppError('number-pool-exhausted', `SIM_NUMBER_RANGES has no range for country ${country}`, 409);
    }
    const phone = this.freePhoneIn(range);
    const number: CanaryNumber = {
      id: newId('num'),
      phoneNumber: phone,
      country,
      provider: 'simulated',
      providerSid: null,
      status: 'ready',
      isControl: false,
      burnInEndsAt: null,
      assignedAt: null,
      retiredAt: null,
      releasedAt: null,
      monthlyPrice: null,
      currency: null,
      createdAt: at,
    };
    this.repo.insert(number);
    return number;
  }

  private freePhoneIn(range: NumberRange): string {
    const from = Number(range.from.slice(1));
    const size = Number(range.to.slice(1)) - from + 1;
    // Random probes first (one indexed look-up each); when the range is nearly full, walk it.
    for (let i = 0; i < 32; i++) {
      const candidate = `+${from + randomInt(size)}`;
      if (!this.repo.findByPhone(candidate)) return candidate;
    }
    const used = this.repo.phonesInRange(range.from, range.to);
    const start = randomInt(size);
    for (let k = 0; k < size; k++) {
      const candidate = `+${from + ((start + k) % size)}`;
      if (!used.has(candidate)) return candidate;
    }
    throw new AppError('number-pool-exhausted', `simulated range ${range.from}-${range.to} is used up`, 409);
  }
}
