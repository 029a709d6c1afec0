// A whole tracer for number tests: temp databases, a settable clock, one token per role, and a
// number provider of the test's choosing (default: the simulated one, from config).
import fs from 'node:fs';
import path from 'node:path';
import { createApp, type App } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import type { NumberProvider } from '../../../src/numbers/provider.ts';
import { SimulatedProvider } from '../../../src/numbers/simulated-provider.ts';
import { AUTH_TOKEN, PUBLIC_BASE_URL, tempDir } from '../../support/app.ts';

export const DAY_MS = 86_400_000;
export const START = '2026-11-28T09:00:00.000Z';

export interface NumbersTestApp extends App {
  dir: string;
  clock: { now: () => Date; set(iso: string): void; advanceDays(days: number): void };
  tokens: { admin: string; seeder: string; investigator: string };
  /** The simulated provider, when the app uses it. */
  sim: SimulatedProvider;
  /** Another app on the same store, as after a restart. */
  restart(): Promise<NumbersTestApp>;
  dispose(): Promise<void>;
}

export function numbersTestApp(o: { env?: Record<string, string>; provider?: NumberProvider; dir?: string; now?: string } = {}): NumbersTestApp {
  const dir = o.dir ?? tempDir('tracer-numbers-');
  let now = Date.parse(o.now ?? START);
  const clock = {
    now: () => new Date(now),
    set(iso: string) {
      now = Date.parse(iso);
    },
    advanceDays(days: number) {
      now += days * DAY_MS;
    },
  };
  const env = {
    TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL, LOG_LEVEL: 'silent', UTILITY_SAMPLE_CUSTOMERS: '30',
    TRACER_DB: path.join(dir, 'tracer.db'), UTILITY_DB: path.join(dir, 'utility.db'), ...o.env,
  };
  const app = createApp({ config: loadConfig(env), clock: clock.now, logger: createLogger('silent'), numberProvider: o.provider });
  const t = app.services.tokens;
  const tokens = {
    admin: t.create({ role: 'admin' }).token,
    seeder: t.create({ role: 'seeder' }).token,
    investigator: t.create({ role: 'investigator' }).token,
  };
  return {
    ...app,
    dir,
    clock,
    tokens,
    sim: app.services.numberProvider as SimulatedProvider,
    async restart() {
      await app.close();
      return numbersTestApp({ ...o, dir, now: clock.now().toISOString() });
    },
    async dispose() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One row of canary_numbers, as stored. */
export function numberRow(app: App, phone: string): Record<string, unknown> {
  return app.services.db.prepare('SELECT * FROM canary_numbers WHERE phone_number = ?').get(phone) as Record<string, unknown>;
}

export function evidenceKinds(app: App): string[] {
  return app.services.evidence.list(10_000).map((e) => e.kind);
}
