// Progress for long commands: a bar (cli-progress) on a terminal, a plain line every tenth of the
// way when stderr is a pipe or a log, nothing with --json. Always on stderr, so stdout stays data.
import { createRequire } from 'node:module';

export interface Progress {
  tick(by?: number): void;
  stop(): void;
}

export function progress(label: string, total: number, quiet = false): Progress {
  if (quiet || total <= 1) return { tick() {}, stop() {} };
  if (process.stderr.isTTY) {
    // Loaded here, only when a bar is drawn: most commands never need it.
    const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {percentage}% {eta_formatted} left`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { tick: (by = 1) => bar.increment(by), stop: () => bar.stop() };
  }
  let done = 0;
  let shown = 0;
  const step = Math.max(1, Math.ceil(total / 10));
  return {
    tick(by = 1) {
      done += by;
      if (done - shown >= step || done === total) {
        shown = done;
        process.stderr.write(`${label}: ${done}/${total}\n`);
      }
    },
    stop() {},
  };
}

/** "3 altered, 1 missing, 4008 intact": findings first, then the rest, each with its count. */
export function outcomeSummary(outcomes: string[], findings: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
  const order = [...findings.filter((f) => counts.has(f)), ...[...counts.keys()].filter((k) => !findings.includes(k)).sort()];
  return order.map((k) => `${counts.get(k)} ${k}`).join(', ') || 'nothing to do';
}
