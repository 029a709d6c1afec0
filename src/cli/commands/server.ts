import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { table } from '../format.ts';
import { cliConfig, print, withApp, withStore } from '../context.ts';

/** The development token from .env.example: the demo's only secret, good for nothing real. */
function developmentToken(): string {
  const example = path.resolve(import.meta.dirname, '../../../.env.example');
  const m = /^TWILIO_AUTH_TOKEN=(\S+)$/m.exec(fs.readFileSync(example, 'utf8'));
  if (!m) throw new Error('.env.example has no TWILIO_AUTH_TOKEN');
  return m[1]!;
}

export function registerServerCommands(program: Command): void {
  program
    .command('serve')
    .description('run the webhook receiver, the JSON API and the outbox worker')
    .option('--json', 'print {url, publicBaseUrl} once listening (logs stay on pino\'s JSON lines)')
    .action(async (o) => {
      const { startServer, stopOnSignals } = await import('../../server.ts');
      const config = await cliConfig();
      const running = await startServer({ config });
      if (o.json) process.stdout.write(`${JSON.stringify({ url: running.url, publicBaseUrl: config.publicBaseUrl })}\n`);
      stopOnSignals(running);
    });

  program
    .command('migrate')
    .description('apply pending migrations to TRACER_DB')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const [{ openTracerDb }, { migrate }] = await Promise.all([import('../../store/db.ts'), import('../../store/migrate.ts')]);
      const config = await cliConfig();
      const db = openTracerDb(config.tracerDb); // opening applies what is pending
      const left = migrate(db);
      const applied = db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
      db.close();
      print(o.json, { applied, pending: left }, () => `schema up to date (${applied.length} migrations)`);
    });

  program
    .command('backup <path>')
    .description('an online, consistent copy of the store (safe while the server runs); checks the copy\'s evidence chain')
    .option('--json', 'print JSON')
    .action(async (dest: string, o) => {
      await withStore('tokens:manage', async ({ db }) => {
        const { backupStore } = await import('../../store/backup.ts');
        const c = await backupStore(db, dest);
        print(o.json, c, () => `backed up to ${c.path}: ${c.bytes} bytes, ${c.hits} hit(s), evidence chain ${c.evidence.ok ? `intact (${c.evidence.entries} entries)` : `BROKEN at ${c.evidence.brokenAt}`}`);
        if (!c.evidence.ok) process.exitCode = 1;
      });
    });

  program
    .command('restore <path>')
    .description('put a backup in place of TRACER_DB, after checking its evidence chain (stop the server first; the old store is kept aside)')
    .option('--json', 'print JSON')
    .action(async (from: string, o) => {
      const config = await cliConfig();
      const { restoreStore } = await import('../../store/backup.ts');
      const r = await restoreStore(from, config.tracerDb, new Date());
      print(o.json, r, () => `restored ${from} to ${config.tracerDb}: ${r.hits} hit(s), evidence chain intact (${r.evidence.entries} entries)` +
        (r.previous ? `; the store it replaced is kept as ${r.previous}` : ''));
    });

  program
    .command('doctor')
    .description('check configuration, the store, every target, the provider account and the public URL as Twilio sees it')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp('tokens:manage', async (app) => {
        const { runDoctor } = await import('../../doctor/doctor.ts');
        const findings = await runDoctor(app);
        const bad = findings.filter((f) => !f.ok);
        print(o.json, { ok: bad.length === 0, findings }, () => [
          table([...bad, ...findings.filter((f) => f.ok)].map((f) => ({ check: f.check, state: f.ok ? 'ok' : 'FAIL', detail: f.detail, fix: f.fix ?? null })),
            ['check', 'state', 'detail', 'fix']),
          '', bad.length ? `${bad.length} problem(s) to fix` : 'all checks passed',
        ].join('\n'));
        if (bad.length) process.exitCode = 1;
      });
    });

  program
    .command('demo')
    .description('the whole story on the embedded defaults, then leave the server running')
    .option('--data-dir <dir>', 'where the demo keeps its databases (wiped first)', './data/demo')
    .option('--port <port>', 'port to listen on', (v) => Number.parseInt(v, 10), Number(process.env.PORT ?? 3000))
    .option('--exit', 'stop the server after printing the report')
    .option('--json', 'print {url, report, tokens} instead of the story')
    .action(async (o) => {
      const [{ runDemo }, { stopOnSignals }] = await Promise.all([import('../../demo/demo.ts'), import('../../server.ts')]);
      const authToken = process.env.TWILIO_AUTH_TOKEN || developmentToken();
      const result = await runDemo({ dataDir: o.dataDir, port: o.port, authToken, print: (l) => (o.json ? undefined : process.stdout.write(`${l}\n`)) });
      if (o.json) process.stdout.write(`${JSON.stringify({ url: result.running.url, report: result.report, tokens: result.tokens })}\n`);
      if (o.exit) return result.running.stop();
      if (o.json) return stopOnSignals(result.running);
      process.stdout.write(
        `\nThe tracer is still running at ${result.running.url} (Ctrl-C to stop).\n` +
          `  investigator token: ${result.tokens.investigator}\n` +
          `  try: curl -H "Authorization: Bearer ${result.tokens.investigator}" ${result.running.url}/api/v1/report\n`,
      );
      stopOnSignals(result.running);
    });
}
