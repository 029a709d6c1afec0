import type { Command } from 'commander';
import { z } from 'zod';
import { terminalJson, neutralise } from '../../text/unicode.ts';
import { table } from '../format.ts';
import { consoleActor, withApp } from '../context.ts';

const out = (json: boolean, data: unknown, text: () => string) => process.stdout.write(`${json ? terminalJson(data) : text()}\n`);

const listFlags = z.object({
  kind: z.string().max(60).optional(),
  subject: z.string().max(200).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  after: z.coerce.number().int().min(0).default(0),
  json: z.boolean().optional(),
});

/** Rows from before binding: said plainly, neither a failure nor a silent pass. */
const unprovenNote = (u: Record<string, number>) => {
  const parts = Object.entries(u).map(([t, n]) => `${t} ${n}`);
  return parts.length === 0 ? '' : `\nnot proven before the upgrade that bound them: ${parts.join(', ')} row(s) predate binding; ` +
    'each is bound as it was found then, so a change since is caught, but earlier changes cannot be';
};

export function registerEvidenceCommands(program: Command): void {
  const evidence = program.command('evidence').description('the hash-chained evidence log: verify, anchor, read');
  evidence
    .command('verify', { isDefault: true })
    .description('re-derive every fact from its table, check the chain and every signed checkpoint; exit 1 on a finding')
    .option('--checkpoints <file...>', 'more checkpoint files to check against (the configured one is always read)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  tracer evidence verify\n  tracer evidence verify --checkpoints /mnt/offsite/evidence-checkpoints.jsonl --json\n')
    .action(async (o) => {
      await withApp(({ services }) => {
        const r = services.evidenceService.verify(o.checkpoints ?? []);
        out(Boolean(o.json), r, () => r.ok
          ? `evidence intact: ${r.entries} entries, facts ${Object.entries(r.facts).map(([t, n]) => `${t} ${n}`).join(', ')}; ` +
            `${r.checkpoints.matched} of ${r.checkpoints.given} checkpoint(s) match${unprovenNote(r.unproven)}`
          // A problem can quote a caller's name (a derived column): shown neutralised, like every caller field.
          : [`evidence does NOT verify: ${neutralise(r.firstProblem!.message)}`, ...r.problems.slice(1, 20).map((p) => `  also: ${neutralise(p.message)}`)].join('\n'));
        if (!r.ok) process.exitCode = 1;
      });
    });
  evidence
    .command('checkpoint')
    .description('sign the head of the log with the instance key and append it to the checkpoint file')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const c = services.evidenceService.checkpoint({ force: true });
        out(Boolean(o.json), c, () => `checkpoint: entry ${c.checkpoint.seq}, head ${c.checkpoint.hash.slice(0, 16)}…, signed by ${c.checkpoint.keyFingerprint.slice(0, 16)}…, appended to ${c.file}`);
      });
    });
  evidence
    .command('list')
    .description('entries oldest first (registry facts included: the read is audited)')
    .option('--kind <kind>', 'only this kind (hit, planting, withdrawal, ...)')
    .option('--subject <id>', 'only entries about this subject')
    .option('--since <iso>', 'only entries at or after this time')
    .option('--limit <n>', 'at most this many', '100')
    .option('--after <seq>', 'continue after this entry', '0')
    .option('--json', 'print JSON')
    .action(async (raw) => {
      const o = listFlags.parse(raw);
      await withApp(({ services }) => {
        const page = services.evidenceService.page({ kind: o.kind, subject: o.subject, since: o.since && new Date(o.since).toISOString(), limit: o.limit, afterSeq: o.after });
        services.audit.record(consoleActor(), 'console', 'evidence', '*');
        out(Boolean(o.json), { ...page, chain: services.evidenceService.chain() }, () =>
          table(page.entries.map((e) => ({ seq: e.seq, at: e.at, kind: e.kind, subject: neutralise(e.subject), fact: e.fact ? `${e.fact.table}:${e.fact.hash.slice(0, 12)}` : '-' })),
            ['seq', 'at', 'kind', 'subject', 'fact']) + (page.nextAfter !== null ? `\nmore: tracer evidence list --after ${page.nextAfter}` : ''));
      });
    });

  const keys = program.command('keys').description("the instance's signing key (Ed25519)");
  keys
    .command('show')
    .description('print the public key and its fingerprint (the key is created on first use)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const k = services.evidenceService.instanceKey();
        out(Boolean(o.json), { publicKeyPem: k.publicKeyPem, fingerprint: k.fingerprint, keyFile: services.config.evidence.keyFile }, () =>
          `${k.publicKeyPem.trimEnd()}\nfingerprint (SHA-256): ${k.fingerprint}\nkey file: ${services.config.evidence.keyFile}`);
      });
    });
}
