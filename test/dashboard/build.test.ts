// The compiled server (dist/, what `npm start` and `tracer serve` run) reads its templates and page
// assets beside its own files; tsc copies none of them, so the build's second step must.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/app.ts';

const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));

describe('the build', () => {
  const out = tempDir('tracer-build-');
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('when the static step runs, then every dashboard view and asset and every report and alert template lands where the compiled code looks, and no source does', () => {
    execFileSync(process.execPath, ['scripts/copy-static.mjs', out]);
    const wanted = ['src/dashboard/views', 'src/dashboard/assets', 'src/cases/templates', 'src/alerts/templates'].flatMap((d) => files(d));
    expect(wanted.length).toBeGreaterThan(25);
    for (const f of wanted) expect(fs.readFileSync(path.join(out, path.relative('src', f))).equals(fs.readFileSync(f)), f).toBe(true);
    expect(files(out).filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(JSON.parse(fs.readFileSync('package.json', 'utf8')).scripts.build).toMatch(/&& node scripts\/copy-static\.mjs$/);
  });
});
