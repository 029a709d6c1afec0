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
import { registerCampaignCommands } from './commands/campaigns.ts';
import { registerPartyCommands } from './commands/parties.ts';
import { failWith } from './context.ts';

export function buildProgram(): Command {
  const program = new Command('tracer')
    .description('canary-tracer: plant canary customers, record every call to them, name the leaking channel')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerServerCommands(program);
  registerChannelCommands(program);
  registerCanaryCommands(program);
  registerPlantingCommands(program);
  registerHitCommands(program);
  registerTokenCommands(program);
  registerSimulateCommands(program);
  registerIdentityCommands(program);
  registerNumberCommands(program);
  registerCampaignCommands(program);
  registerPartyCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
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
