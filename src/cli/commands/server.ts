import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openTracerDb } from '../../store/db.ts';
import { migrate } from '../../store/migrate.ts';
import { startServer, stopOnSignals } from '../../server.ts';
import { runDemo } from '../../demo/demo.ts';
import { cliConfig } from '../context.ts';

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
    .action(async () => {
      const running = await startServer({ config: cliConfig() });
      stopOnSignals(running);
    });

  program
    .command('migrate')
    .description('apply pending migrations to TRACER_DB')
    .option('--json', 'print JSON')
    .action((o) => {
      const config = cliConfig();
      const db = openTracerDb(config.tracerDb); // opening applies what is pending
      const left = migrate(db);
      const applied = db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
      db.close();
      process.stdout.write(o.json ? `${JSON.stringify({ applied, pending: left })}\n` : `schema up to date (${applied.length} migrations)\n`);
    });

  program
    .command('demo')
    .description('the whole story on the embedded defaults, then leave the server running')
    .option('--data-dir <dir>', 'where the demo keeps its databases (wiped first)', './data/demo')
    .option('--port <port>', 'port to listen on', (v) => Number.parseInt(v, 10), Number(process.env.PORT ?? 3000))
    .option('--exit', 'stop the server after printing the report')
    .action(async (o) => {
      const authToken = process.env.TWILIO_AUTH_TOKEN ?? developmentToken();
      const result = await runDemo({ dataDir: o.dataDir, port: o.port, authToken, print: (l) => process.stdout.write(`${l}\n`) });
      if (o.exit) return result.running.stop();
      process.stdout.write(
        `\nThe tracer is still running at ${result.running.url} (Ctrl-C to stop).\n` +
          `  investigator token: ${result.tokens.investigator}\n` +
          `  try: curl -H "Authorization: Bearer ${result.tokens.investigator}" ${result.running.url}/api/v1/report\n`,
      );
      stopOnSignals(result.running);
    });
}
