import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './app.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface CliFailure {
  code: number;
  stderr: string;
  stdout: string;
}

/**
 * `tracer` as a person or a script runs it: a real process on a temp store. `extraEnv` may be a
 * function of the temp directory (for files that must live in it).
 */
export function cliHarness(prefix: string, extraEnv: Record<string, string> | ((dir: string) => Record<string, string>) = {}) {
  const dir = tempDir(prefix);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TWILIO_AUTH_TOKEN: 'cli-test-token-0123456789abcdef',
    TRACER_DB: path.join(dir, 'tracer.db'),
    UTILITY_DB: path.join(dir, 'utility.db'),
    UTILITY_SAMPLE_CUSTOMERS: '30',
    LOG_LEVEL: 'silent',
    // The sources, not dist/: a test must see the code as it is now, built or not.
    TRACER_FROM_SOURCE: '1',
    ...(typeof extraEnv === 'function' ? extraEnv(dir) : extraEnv),
  };
  const tracer = (...args: string[]) => run('node', ['bin/tracer.mjs', ...args], { env, cwd: repoRoot });
  return {
    dir,
    env,
    tracer,
    json: async (...args: string[]) => JSON.parse((await tracer(...args, '--json')).stdout),
    /** Runs a command that must fail, and returns how it failed. */
    fails: async (...args: string[]): Promise<CliFailure> => {
      try {
        await tracer(...args);
      } catch (err) {
        return err as CliFailure;
      }
      throw new Error(`expected "tracer ${args.join(' ')}" to fail`);
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
