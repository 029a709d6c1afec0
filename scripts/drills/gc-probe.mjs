// Preloaded into the restart drill's server with DRILL_GC_PROBE=1 (and --expose-gc): a full GC
// every 200 ms, and the peak heap left after one, written to DRILL_GC_PROBE_OUT. If RSS stops
// growing with the pool when garbage is collected at once, what grew was garbage V8 had not yet
// collected (its heap sizing), not memory kept per number.
import fs from 'node:fs';

let peakAfterGc = 0;
setInterval(() => {
  globalThis.gc();
  peakAfterGc = Math.max(peakAfterGc, process.memoryUsage().heapUsed);
  fs.writeFileSync(process.env.DRILL_GC_PROBE_OUT, String(peakAfterGc));
}, 200).unref();
