// The compiled tracer (dist/, what `npm start` and `npm run demo` run) reads views, templates and
// the dashboard's CSS/JS beside its modules: the build must put every one of them there.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('the build', () => {
  it('when the build copies assets, then every non-TypeScript file under src/ is in dist/ at the same place, byte for byte', () => {
    execFileSync(process.execPath, ['scripts/copy-assets.mjs'], { cwd: root });
    const assets = fs.readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((rel) => !rel.endsWith('.ts') && fs.statSync(path.join(root, 'src', rel)).isFile());
    expect(assets).toEqual(expect.arrayContaining([path.join('dashboard', 'views', 'layout.njk'), path.join('cases', 'templates', 'report.njk')]));
    for (const rel of assets) expect(fs.readFileSync(path.join(root, 'dist', rel)).equals(fs.readFileSync(path.join(root, 'src', rel))), rel).toBe(true);
  });
});
