// After tsc: the files beside the sources that the compiled code reads at run time (nunjucks views
// and templates, the dashboard's CSS and JS) are copied to the same place under dist/, which tsc
// does not do. Without them the dashboard, alert e-mails and case reports fail when run from dist/
// (`npm start`, `npm run demo`).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

let copied = 0;
for (const rel of fs.readdirSync(src, { recursive: true, encoding: 'utf8' })) {
  const from = path.join(src, rel);
  if (rel.endsWith('.ts') || !fs.statSync(from).isFile()) continue;
  fs.mkdirSync(path.dirname(path.join(dist, rel)), { recursive: true });
  fs.copyFileSync(from, path.join(dist, rel));
  copied++;
}
if (copied === 0) throw new Error('no assets found under src/: is this the project root?');
