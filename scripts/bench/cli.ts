// `tracer --help` and a read command against `node -e 0` in the same run: what the CLI itself
// costs at start-up, on the compiled dist/ (built first if missing or stale).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 10);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export async function cliBench(): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracer-bench-cli-'));
  const env = {
    ...process.env, TRACER_FROM_SOURCE: '0', TWILIO_AUTH_TOKEN: 'bench-auth-token-0123456789abcdef', LOG_LEVEL: 'silent',
    TRACER_DB: path.join(dir, 'tracer.db'), UTILITY_DB: path.join(dir, 'utility.db'), UTILITY_SAMPLE_CUSTOMERS: '30',
  };
  // A store with something to read: one channel, 50 canaries (the sample database is filled once here, not per read).
  execFileSync(process.execPath, ['bin/tracer.mjs', 'channels', 'create', '--name', 'Bench', '--kind', 'crm'], { cwd: root, env, stdio: 'ignore' });
  execFileSync(process.execPath, ['bin/tracer.mjs', 'canaries', 'create', '--channel', 'Bench', '--count', '50', '--yes'], { cwd: root, env, stdio: 'ignore' });
  const rows: Array<[string, string[]]> = [
    ['node -e 0 (baseline)', ['-e', '0']],
    ['tracer --help', ['bin/tracer.mjs', '--help']],
    ['tracer canaries list (read)', ['bin/tracer.mjs', 'canaries', 'list']],
    ['tracer canaries list --limit 5', ['bin/tracer.mjs', 'canaries', 'list', '--limit', '5']],
    ['tracer hits list --format csv', ['bin/tracer.mjs', 'hits', 'list', '--format', 'csv']],
    ['tracer report', ['bin/tracer.mjs', 'report']],
  ];
  // Other agents share these machines: the load says how far the absolute figures can be trusted (the ratios travel better).
  console.log(`\nCLI start-up, median of ${RUNS} runs each, interleaved, compiled dist/; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cpu(s)`);
  const samples = rows.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++) rows.forEach(([, args], k) => samples[k]!.push(time(args, env)));
  const base = median(samples[0]!);
  rows.forEach(([label], k) => {
    const m = median(samples[k]!);
    console.log(`${label.padEnd(34)} ${m.toFixed(3)} s  (${(m / base).toFixed(1)}x baseline, +${(m - base).toFixed(3)} s)`);
  });
  console.log(`targets: --help <= 0.3 s, a read <= 0.6 s on these machines; baseline here ${base.toFixed(3)} s`);
  fs.rmSync(dir, { recursive: true, force: true });
}
