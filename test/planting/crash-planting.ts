// Child process for the reconcile tests: creates one canary through the real target named by
// CRASH_TARGET and dies — before the write (CRASH_WHEN=before-write) or right after the target
// committed (after-write) — without the tracer ever marking the planting. Exit code 137, like kill -9.
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { createTarget } from '../../src/planting/factory.ts';
import type { PlantingTarget } from '../../src/planting/target.ts';

const config = loadConfig(process.env);
const settings = config.targets.find((t) => t.name === process.env.CRASH_TARGET);
if (!settings) throw new Error(`no target ${process.env.CRASH_TARGET}`);
const real = createTarget(settings, { clock: () => new Date() });
const crashing: PlantingTarget = {
  name: real.name,
  kind: real.kind,
  async plant(r) {
    if (process.env.CRASH_WHEN === 'after-write') await real.plant(r);
    process.exit(137);
  },
  withdraw: (ref, details, ctx) => real.withdraw(ref, details, ctx),
};
const now = new Date(process.env.CRASH_CLOCK!);
const app = createApp({ config, clock: () => now, logger: createLogger('silent'), targets: [crashing] });
await app.services.canaries.create({ channelIds: [process.env.CRASH_CHANNEL!] });
throw new Error('the planting should have crashed the process');
