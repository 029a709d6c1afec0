#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm ci` / `npm run build`); straight from the
// TypeScript sources through tsx only when dist/ is missing, or when TRACER_FROM_SOURCE=1
// (tests and development, so an edit needs no rebuild).
import fs from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
let main;
if (process.env.TRACER_FROM_SOURCE !== '1' && fs.existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
await main(process.argv);
