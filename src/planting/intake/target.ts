// The guided intake call: for the path the seed story is about — a customer phones the call
// centre. The tracer writes nothing itself; a staff member phones the intake line as the canary
// with a printed script, then records the ticket number the agent gave and the time of the call.
import type { IntakeCallSettings } from '../settings.ts';
import type { PlannedWrites, PlantResult, PlantingRequest, PlantingTarget, VerifyResult } from '../target.ts';
import { callScript } from './script.ts';

export class IntakeCallTarget implements PlantingTarget {
  readonly kind = 'intake-call';
  readonly name: string;

  constructor(private readonly s: IntakeCallSettings) {
    this.name = s.name;
  }

  /** Nothing is written: the planting waits for the call and its ticket number. */
  async plant(): Promise<PlantResult> {
    return { awaitingConfirmation: true, details: { intakeLine: this.s.intakeLine } };
  }

  script(r: PlantingRequest & { plantingId: string }): string {
    return callScript({ ...r, target: this.name, intakeLine: this.s.intakeLine, hours: this.s.hours });
  }

  async plan(r: PlantingRequest): Promise<PlannedWrites> {
    return { steps: [{ action: 'phone-call', intakeLine: this.s.intakeLine, script: this.script({ ...r, plantingId: '<planting id>' }) }] };
  }

  async withdraw(externalRef: string | null): Promise<{ note: string }> {
    if (externalRef === null) return { note: 'the call was never confirmed: do not make it' };
    return { note: `phone ${this.s.intakeLine} as the customer and ask to close ticket ${externalRef} (the problem is fixed)` };
  }

  async verify(): Promise<VerifyResult> {
    return { state: 'unverifiable', reason: "a phoned-in ticket lives in the call centre's system: plant there through a SQL or HTTP target to verify it" };
  }

  /** Nothing to look for after a crash: the planting simply waits for its call. */
  async find(): Promise<PlantResult> {
    return this.plant();
  }
}
