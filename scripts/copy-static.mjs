// `npm run build` step two: tsc compiles src/ to dist/ but copies nothing else, and the compiled
// server reads its templates and page assets beside its own files (the dashboard's views and
// assets, the case report's and alerts' templates). Every file under src/ that is not TypeScript is
// copied to the same place under dist/ (or the folder given).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = path.join(root, 'src');
const to = path.resolve(process.argv[2] ?? path.join(root, 'dist'));

let copied = 0;
fs.cpSync(from, to, {
  recursive: true,
  filter: (src) => {
    if (fs.statSync(src).isDirectory()) return true;
    const keep = !src.endsWith('.ts');
    if (keep) copied++;
    return keep;
  },
});
console.log(`copied ${copied} non-TypeScript files from src/ to ${path.relative(root, to) || to}`);
