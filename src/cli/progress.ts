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

/** A stage's report from work that goes through stages (reconcile then backfill, read then learn). */
export interface StageProgress {
  stage: string;
  done: number;
  total: number;
}

/**
 * A bar for work that reports (done, total) as it goes (a callback, never a print of its own): the
 * bar starts on the first report, when the total is known.
 */
export function followProgress(label: string, quiet = false): { report(done: number, total: number): void; stop(): void } {
  let bar: Progress | undefined;
  let shown = 0;
  return {
    report(done, total) {
      bar ??= progress(label, total, quiet);
      if (done > shown) bar.tick(done - shown);
      shown = Math.max(shown, done);
    },
    stop: () => bar?.stop(),
  };
}

/**
 * A bar per stage, for work that reports StageProgress; stages may run side by side (each number
 * reconciled, then backfilled): on a terminal one bar a stage, stacked (cli-progress's MultiBar),
 * when piped each stage's own plain lines. `label` prefixes each stage's name ("numbers backfill: 50/500").
 */
export function stagedProgress(label: string, quiet = false): { report(p: StageProgress): void; stop(): void } {
  if (quiet || !process.stderr.isTTY) {
    const stages = new Map<string, ReturnType<typeof followProgress>>();
    return {
      report(p) {
        if (!stages.has(p.stage)) stages.set(p.stage, followProgress(`${label} ${p.stage}`, quiet));
        stages.get(p.stage)!.report(p.done, p.total);
      },
      stop: () => stages.forEach((s) => s.stop()),
    };
  }
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
  const multi = new cliProgress.MultiBar(
    { format: `${label} {stage} [{bar}] {value}/{total} {percentage}%`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, import('cli-progress').SingleBar>();
  return {
    report(p) {
      const bar = bars.get(p.stage) ?? bars.set(p.stage, multi.create(p.total, 0, { stage: p.stage })).get(p.stage)!;
      bar.setTotal(p.total);
      bar.update(p.done);
    },
    stop: () => multi.stop(),
  };
}

/** "3 altered, 1 missing, 4008 intact": findings first, then the rest, each with its count. */
export function outcomeSummary(outcomes: string[], findings: readonly string[]): string {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return countSummary(counts, findings);
}

/** The same from counts already made; an outcome counted 0 is left out. */
export function countSummary(counts: Record<string, number>, findings: readonly string[], none = 'nothing to do'): string {
  const seen = Object.keys(counts).filter((k) => counts[k]! > 0);
  const order = [...findings.filter((f) => seen.includes(f)), ...seen.filter((k) => !findings.includes(k)).sort()];
  return order.map((k) => `${counts[k]} ${k}`).join(', ') || none;
}
