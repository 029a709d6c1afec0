// Worker thread: draws canary identities and their planting variants for a campaign, so the main
// thread keeps writing to the stores while the next batch is being made up.
import { parentPort } from 'node:worker_threads';
import { createIdentityGenerator, type IdentityGenerator } from '../identities/index.ts';
import type { Locale } from '../identities/types.ts';

export interface DrawRequest {
  id: number;
  locale: Locale;
  phones: string[];
  variants: number;
  /** The tracer's clock, so tickets are dated as the main thread would date them. */
  now: string;
}

let now = new Date();
const generators = new Map<Locale, IdentityGenerator>();

parentPort!.on('message', (req: DrawRequest) => {
  try {
    now = new Date(req.now);
    if (!generators.has(req.locale)) generators.set(req.locale, createIdentityGenerator({ locale: req.locale, now: () => now }));
    const g = generators.get(req.locale)!;
    const items = req.phones.map((phone) => {
      const identity = g.next(phone);
      return { identity, variants: g.variants(identity, req.variants) };
    });
    parentPort!.postMessage({ id: req.id, items });
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: (err as Error).message });
  }
});
parentPort!.postMessage({ ready: true });
