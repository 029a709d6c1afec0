// `npm run bench`, section `attribution` (BENCH_ONLY=attribution): accuracy against canaries for
// each design, on simulated worlds (src/attribution/simulator.ts) decoded by the report's decoder,
// and beside each figure the same worlds decoded as plain binary group testing by maximum
// likelihood (src/attribution/baseline.ts) and the counting bound. Also runs alone:
//   node --import tsx scripts/bench/attribution.ts
// BENCH_WORLDS worlds per cell (default 16), BENCH_TARGET_WORLDS for the target checks
// (default 400), BENCH_WORKERS processes (default 2), BENCH_SIZES (default 16,64,256).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { countingBound } from '../../src/attribution/baseline.ts';
import { evaluate, type DesignSpec, type Evaluation, type Scenario } from '../../src/attribution/plan.ts';

const WORLDS = Number(process.env.BENCH_WORLDS ?? 16);
const TARGET_WORLDS = Number(process.env.BENCH_TARGET_WORLDS ?? 400);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const SIZES = (process.env.BENCH_SIZES ?? '16,64,256').split(',').map(Number);
const QS = [0.5, 0.7, 0.9];
const RS = [0.12, 0.7];
const DAYS = 14;
const CONTROLS = 8;

interface Task {
  n: number;
  d: number;
  q: number;
  r: number;
  spec: DesignSpec;
  worlds: number;
  seed: number;
}

function scenario(t: Pick<Task, 'n' | 'd' | 'q' | 'r'>): Scenario {
  const channels = Array.from({ length: t.n }, (_, i) => `ch${String(i).padStart(3, '0')}`);
  return { channels, maxLeakers: t.d, q: t.q, backgroundPerNumberDay: t.r, days: DAYS, controls: CONTROLS };
}

const key = (t: Pick<Task, 'n' | 'd' | 'q' | 'r' | 'spec'>) => JSON.stringify([t.n, t.d, t.q, t.r, t.spec]);

function runTask(t: Task): Evaluation {
  return evaluate(t.spec, scenario(t), t.worlds, t.seed, { binary: t.spec.design !== 'adaptive' });
}

/** The designs and budgets of one table: numbers ~ c·d·log2(N) for the shared designs. */
export function tableSpecs(n: number, d: number): DesignSpec[] {
  const base = d * Math.log2(n);
  const budgets = [2, 2.67, 4].map((c) => Math.round(c * base));
  const weight = d === 1 ? 3 : 4;
  return [
    ...[1, 2, 3].map((k): DesignSpec => ({ design: 'dedicated', k })),
    ...budgets.map((numbers): DesignSpec => ({ design: 'split', numbers, weight })),
    ...budgets.map((numbers): DesignSpec => ({ design: 'staggered', numbers, weight })),
    { design: 'adaptive', numbers: budgets[2]! },
  ];
}

function label(e: Evaluation): string {
  const s = e.spec;
  if (s.design === 'dedicated') return `dedicated k=${s.k}`;
  if (s.design === 'adaptive') return `adaptive ≤${s.numbers}`;
  return `${s.design} M=${s.numbers} w=${s.weight}`;
}

const pct = (x: number) => `${Math.round(x * 100)}`.padStart(3);

function cell(e: Evaluation): string {
  const b = e.binary ? `(${pct(e.binary.pExact)}/${pct(e.binary.pInnocentAccused)})` : '         ';
  const n = e.design === 'adaptive' ? ` n${e.numbers.toFixed(1)}` : '';
  return `${pct(e.pExact)}/${pct(e.pInnocentAccused)} ${b}${n}`.padEnd(26);
}

/** A pool of worker processes running this file in worker mode, one task at a time each. */
async function runAll(tasks: Task[]): Promise<Evaluation[]> {
  const results: Evaluation[] = new Array(tasks.length);
  let next = 0;
  const self = fileURLToPath(import.meta.url);
  const work = (child: ChildProcess) => new Promise<void>((resolve, reject) => {
    const give = () => {
      if (next >= tasks.length) return child.send({ stop: true }), resolve();
      const i = next++;
      child.once('message', (m: { result: Evaluation }) => ((results[i] = m.result), give()));
      child.send({ task: tasks[i] });
    };
    child.once('error', reject);
    give();
  });
  const children = Array.from({ length: Math.max(1, WORKERS) }, () => fork(self, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ATTRIBUTION_WORKER: '1' } }));
  await Promise.all(children.map(work));
  return results;
}

function grid(): Task[] {
  const tasks: Task[] = [];
  let seed = 1;
  for (const n of SIZES) for (const d of [1, 2, 3]) for (const spec of tableSpecs(n, d)) for (const r of RS) for (const q of QS) tasks.push({ n, d, q, r, spec, worlds: WORLDS, seed: seed++ });
  return tasks;
}

/** The targets: N = 64, q = 0.7, r = 0.12, with more worlds. */
function targetTasks(): Task[] {
  const at = { n: 64, q: 0.7, r: 0.12, worlds: TARGET_WORLDS };
  return [
    { ...at, d: 1, spec: { design: 'staggered', numbers: 16, weight: 3 }, seed: 9001 },
    { ...at, d: 1, spec: { design: 'dedicated', k: 3 }, seed: 9002 },
    { ...at, d: 1, spec: { design: 'adaptive', numbers: 16 }, seed: 9003 },
    { ...at, d: 2, spec: { design: 'staggered', numbers: 32, weight: 4 }, seed: 9004 },
    { ...at, d: 2, spec: { design: 'dedicated', k: 3 }, seed: 9005 },
  ];
}

export async function attributionBench(): Promise<void> {
  console.log(`\nAttribution: accuracy vs canaries, ${WORLDS} simulated worlds per cell (BENCH_WORLDS), ${DAYS} days, ${CONTROLS} controls, ${WORKERS} worker processes`);
  console.log('cell: exact set named % / worlds with an innocent channel accused %  (binary ML decoder on the same worlds: exact / innocent)');
  const started = performance.now();
  const tasks = grid();
  const results = await runAll([...tasks, ...targetTasks()]);
  const byKey = new Map(tasks.map((t, i) => [key(t), results[i]!]));
  const cols = RS.flatMap((r) => QS.map((q) => ({ r, q })));
  for (const n of SIZES) for (const d of [1, 2, 3]) {
    console.log(`\nN=${n} d=${d}` + ''.padEnd(22) + cols.map((c) => `q=${c.q} r=${c.r}`.padEnd(26)).join(''));
    console.log('counting bound (numbers)'.padEnd(38) + cols.map((c) => `${countingBound(n, { q: c.q, backgroundPerNumberDay: c.r, days: DAYS, maxLeakers: d }).toFixed(0)}`.padEnd(26)).join(''));
    for (const spec of tableSpecs(n, d)) {
      const row = cols.map((c) => byKey.get(key({ n, d, ...c, spec }))!);
      const first = row[0]!;
      const size = first.design === 'adaptive' ? 'numbers vary' : `${first.numbers} num ${first.tickets} tix`;
      console.log(`${label(first).padEnd(22)}${size.padEnd(16)}${row.map(cell).join('')}`);
    }
  }
  console.log(`\nTargets (issue 8) at N=64, q=0.7, r=0.12, ${TARGET_WORLDS} worlds each (BENCH_TARGET_WORLDS):`);
  const targets = targetTasks();
  for (const [i, e] of results.slice(tasks.length).entries()) {
    console.log(`  d=${targets[i]!.d} ${label(e).padEnd(24)} numbers ${e.numbers.toFixed(1).padStart(6)}  tickets ${e.tickets.toFixed(0).padStart(4)}  exact ${(e.pExact * 100).toFixed(1)} %  innocent accused ${(e.pInnocentAccused * 100).toFixed(1)} % of worlds, ${(e.innocentChannelRate * 100).toFixed(2)} % of innocent channels`);
  }
  console.log(`attribution section: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

if (process.env.ATTRIBUTION_WORKER === '1' && process.send) {
  process.on('message', (m: { task?: Task; stop?: boolean }) => {
    if (m.stop) process.exit(0);
    process.send!({ result: runTask(m.task!) });
  });
} else if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  await attributionBench();
}
