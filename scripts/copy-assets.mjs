// tsc compiles src/*.ts to dist/ and nothing else: the templates (report, alert e-mails,
// dashboard views) and the dashboard's static assets are copied beside the compiled modules,
// which load them relative to themselves. Without this the compiled CLI cannot print a case report.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
let copied = 0;
for (const rel of fs.readdirSync(src, { recursive: true })) {
  const from = path.join(src, rel);
  if (!fs.statSync(from).isFile() || rel.endsWith('.ts')) continue;
  fs.mkdirSync(path.dirname(path.join(dist, rel)), { recursive: true });
  fs.copyFileSync(from, path.join(dist, rel));
  copied++;
}
process.stdout.write(`copied ${copied} template and asset files to dist/\n`);
