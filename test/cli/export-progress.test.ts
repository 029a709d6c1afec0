// A streamed export shows a bar on a terminal, counted to the hits the filter matches; piped, it
// prints its rows and nothing else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTracerDb, type Db } from '../../src/store/db.ts';
import { HitRepository } from '../../src/hits/repository.ts';
import { writeList, type ListSpec } from '../../src/cli/output.ts';
import type { Hit } from '../../src/hits/hit.ts';
import { addHits, fillCanaries } from '../../scripts/bench/report-world.ts';

const spec: ListSpec<Hit> = { name: 'hits', columns: ['id'], row: (h) => ({ id: h.id }), present: (h) => ({ id: h.id }) };

describe('progress of a streamed export', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when hits stream as CSV with stderr a terminal, then a bar counts to the filter\'s total; when stderr is piped, nothing but rows is written', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracer-export-progress-'));
    db = openTracerDb(path.join(dir, 'tracer.db'));
    const world = { channels: 10, canaries: 300, controls: 20 };
    fillCanaries(db, world);
    addHits(db, world, 0, 2600);
    const repo = new HitRepository(db);
    const filter = { classification: 'control' as const };
    const expected = db.prepare(`SELECT count(*) FROM hits WHERE classification = 'control'`).pluck().get() as number;
    expect(repo.count(filter)).toBe(expected);
    expect(repo.count({})).toBe(2600);

    const run = async (tty: boolean) => {
      const out: string[] = [];
      const err: string[] = [];
      const was = { tty: process.stderr.isTTY, err: process.stderr.write, out: process.stdout.write };
      Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true });
      process.stderr.write = ((c: string) => (err.push(String(c)), true)) as typeof process.stderr.write;
      process.stdout.write = ((c: string) => (out.push(String(c)), true)) as typeof process.stdout.write;
      try {
        const n = await writeList({ format: 'csv' }, spec, (cursor, limit) => repo.list(filter, { cursor, limit }), {}, () => repo.count(filter));
        return { n, out: out.join(''), err: err.join('') };
      } finally {
        Object.defineProperty(process.stderr, 'isTTY', { value: was.tty, configurable: true });
        process.stderr.write = was.err;
        process.stdout.write = was.out;
      }
    };
    const onTerminal = await run(true);
    expect(onTerminal.n).toBe(expected);
    expect(onTerminal.out.trim().split('\n')).toHaveLength(expected + 1);
    expect(onTerminal.err).toContain(`${expected}/${expected}`);
    const piped = await run(false);
    expect(piped.n).toBe(expected);
    expect(piped.err).toBe('');
  });
});
