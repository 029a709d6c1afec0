import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { failWith } from './fail.ts';

// One module per command group in ./commands, each exporting a register…Commands(program). Only
// the group a command line names is imported (its flags' schemas, its domain code), so `tracer
// --help` and `--version` load nothing but commander; the top-level help lists every group from
// this table. To add a group: write commands/<group>.ts and add one row here.
interface CommandGroup {
  /** The top-level commands the module registers, with the one line `tracer --help` shows. */
  commands: Record<string, string>;
  load(): Promise<(program: Command) => void>;
}

const GROUPS: CommandGroup[] = [
  {
    commands: {
      serve: 'run the webhook receiver, the JSON API and the outbox worker',
      migrate: 'apply pending migrations to TRACER_DB',
      backup: 'an online, consistent copy of the store (safe while the server runs)',
      restore: 'put a backup in place of TRACER_DB after checking its evidence chain',
      doctor: 'check configuration, store, targets, provider and public URL; say what to fix',
      demo: 'the whole story on the embedded defaults, then leave the server running',
    },
    load: async () => (await import('./commands/server.ts')).registerServerCommands,
  },
  { commands: { channels: 'exposure paths a canary can be planted into' }, load: async () => (await import('./commands/channels.ts')).registerChannelCommands },
  { commands: { canaries: 'fake customers and complaints, each on its own number' }, load: async () => (await import('./commands/canaries.ts')).registerCanaryCommands },
  { commands: { plantings: 'canaries in the utility\'s systems: confirm, call scripts, verify, reconcile' }, load: async () => {
    const [{ registerPlantingCommands }, { registerAuditCommand }] = await Promise.all([import('./commands/plantings.ts'), import('./commands/audit.ts')]);
    return (program: Command) => (registerPlantingCommands(program), registerAuditCommand(program));
  } },
  {
    commands: {
      hits: 'calls and messages that reached canary numbers',
      report: 'which channels leak: verdict, probability, the main reason, canaries called, hits, first contact, callers',
    },
    load: async () => (await import('./commands/hits.ts')).registerHitCommands,
  },
  {
    commands: { evidence: 'the hash-chained evidence log: verify, anchor, read', keys: "the instance's signing key (Ed25519)" },
    load: async () => {
      const [{ registerEvidenceCommands }, { registerBundleCommands }] = await Promise.all([import('./commands/evidence.ts'), import('./commands/bundles.ts')]);
      return (program: Command) => (registerEvidenceCommands(program), registerBundleCommands(program));
    },
  },
  { commands: { 'security-events': 'forged and refused webhooks, counted per minute, source, path and reason' }, load: async () => (await import('./commands/security-events.ts')).registerSecurityEventCommands },
  { commands: { token: 'API tokens (admin, seeder, investigator)', audit: 'who read the canary registry, newest first (admin)' }, load: async () => (await import('./commands/tokens.ts')).registerTokenCommands },
  { commands: { simulate: 'send a webhook to a running tracer, signed exactly as Twilio signs it' }, load: async () => (await import('./commands/simulate.ts')).registerSimulateCommands },
  { commands: { identities: 'the fake customers and complaints canaries are made of' }, load: async () => (await import('./commands/identities.ts')).registerIdentityCommands },
  { commands: { numbers: 'canary numbers: provision, burn-in, controls, reconcile, release' }, load: async () => (await import('./commands/numbers.ts')).registerNumberCommands },
  { commands: { alerts: 'alert outputs (webhook, Slack, Teams, Discord, Google Chat, email, SMS): add, list, test, enable, remove' }, load: async () => (await import('./commands/alerts.ts')).registerAlertCommands },
  { commands: { targets: "the utility's systems canaries are planted into: learn their shape, show profiles" }, load: async () => (await import('./commands/targets.ts')).registerTargetCommands },
  { commands: { cases: 'investigations: open, link, note, report (PDF/HTML, Arabic or English)' }, load: async () => (await import('./commands/cases.ts')).registerCaseCommands },
  { commands: { parties: 'outside callers: proposed groupings, accept, merge, split, rename, note' }, load: async () => (await import('./commands/parties.ts')).registerPartyCommands },
  { commands: { campaigns: 'ask "which of these channels leak?" with a design; plan it by simulation first' }, load: async () => (await import('./commands/campaigns.ts')).registerCampaignCommands },
];

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The program for this command line: the named group in full, the others as one help line each. */
export async function buildProgram(argv: string[] = process.argv): Promise<Command> {
  const program = new Command('tracer')
    .description('canary-tracer: plant canary customers, record every call to them, name the leaking channel')
    .version(version(), '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nActs as the token in TRACER_TOKEN when set, else as the local admin (see README, "Who the CLI acts as").')
    .exitOverride();
  const named = argv.slice(2).find((a) => !a.startsWith('-'));
  for (const group of GROUPS) {
    if (named !== undefined && named in group.commands) (await group.load())(program);
    else for (const [name, description] of Object.entries(group.commands)) program.command(name).description(description).allowUnknownOption().helpOption(false);
  }
  return program;
}

/** Every group loaded: for tests and tools that walk the whole command tree. */
export async function buildFullProgram(): Promise<Command> {
  const program = new Command('tracer').exitOverride();
  for (const group of GROUPS) (await group.load())(program);
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
    await (await buildProgram(argv)).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      process.exit(err.exitCode);
    }
    failWith(err);
  }
}
