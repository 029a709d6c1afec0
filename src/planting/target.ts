import type { Channel } from '../channels/channels.ts';
import type { Persona, PlantingVariant, Ticket } from '../identities/types.ts';

/** What a target needs to write one canary into one channel's path, exactly like a real complaint. */
export interface PlantingRequest {
  persona: Persona;
  ticket: Ticket;
  variant: PlantingVariant;
  channel: Channel;
}

export interface PlantingTarget {
  readonly name: string;
  /** Writes the canary (all its rows, or nothing) and returns the reference the target gave it. */
  plant(request: PlantingRequest): Promise<{ externalRef: string }>;
  /** True when a real record already holds one of this identity's keys (national ID, account, meter...). */
  collides?(identity: { persona: Persona }): Promise<boolean>;
  /** Removes or closes what plant() wrote for this reference, touching no real record. */
  withdraw(externalRef: string): Promise<void>;
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

  async closeAll(): Promise<void> {
    for (const t of this.targets.values()) await t.close?.();
  }
}
