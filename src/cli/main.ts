import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerChannelCommands } from './commands/channels.ts';
import { registerCanaryCommands } from './commands/canaries.ts';
import { registerPlantingCommands } from './commands/plantings.ts';
import { registerHitCommands } from './commands/hits.ts';
import { registerTokenCommands } from './commands/tokens.ts';
import { registerServerCommands } from './commands/server.ts';
import { registerSimulateCommands } from './commands/simulate.ts';
import { registerIdentityCommands } from './commands/identities.ts';
import { registerNumberCommands } from './commands/numbers.ts';
import { failWith } from './context.ts';

// One module per command group in ./commands, each exporting register…Commands(program). A module
// imports only what its help needs at the top; the store, the app and the network are imported
// inside the actions (withStore / withApp), so `--help` and reads stay fast.
const COMMAND_GROUPS: Array<(program: Command) => void> = [
  registerServerCommands,
  registerChannelCommands,
  registerCanaryCommands,
  registerPlantingCommands,
  registerHitCommands,
  registerTokenCommands,
  registerSimulateCommands,
  registerIdentityCommands,
  registerNumberCommands,
];

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('tracer')
    .description('canary-tracer: plant canary customers, record every call to them, name the leaking channel')
    .version(version(), '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nActs as the token in TRACER_TOKEN when set, else as the local admin (see README, "Who the CLI acts as").')
    .exitOverride();
  for (const register of COMMAND_GROUPS) register(program);
  // Every subcommand exits through main(), not process.exit inside commander.
  const override = (c: Command) => c.commands.forEach((sub) => (sub.exitOverride(), override(sub)));
  override(program);
  return program;
}

/** `tracer … | head` closes the pipe early: that is the reader's choice, not an error. */
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

export async function main(argv: string[]): Promise<void> {
  quietOnClosedPipe();
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      process.exit(err.exitCode);
    }
    failWith(err);
  }
}
