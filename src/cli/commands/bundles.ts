import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { verifyBundle } from '../../cases/bundle/verify.ts';
import { loadOrCreateInstanceKey } from '../../keys/instance-key.ts';
import { instanceKeyPath, rotateInstanceKey } from '../../keys/rotate.ts';
import { cliConfig, consoleActor, print, withApp } from '../context.ts';

/** `tracer evidence export|verify-bundle` (beside the log check) and `tracer keys show|rotate`. */
export function registerBundleCommands(program: Command): void {
  const evidence = program.commands.find((c) => c.name() === 'evidence') ?? program.command('evidence').description('the evidence log and evidence bundles');

  evidence.command('export').description('write a case\u2019s evidence bundle (BagIt, signed) to a new directory or .zip')
    .requiredOption('--case <id>').requiredOption('--out <path>', 'a new path, or an empty directory; ending in .zip makes a zip')
    .option('--lang <l>', 'language of the report inside (ar or en)', 'en').option('--full-log', 'every evidence-log entry in full, not only the case\u2019s')
    .option('--bom', 'hits.csv with a UTF-8 BOM for spreadsheets').option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  tracer evidence export --case case_abc --out case-abc.zip\n  tracer evidence verify-bundle case-abc.zip --public-key tracer.pub.pem')
    .action(async (o) => {
      o.json ||= evidence.opts().json; // `tracer evidence` has a --json of its own, which takes the flag
      await withApp(async ({ services }) => {
        const { followProgress } = await import('../progress.ts');
        const bar = followProgress('export', Boolean(o.json));
        const r = await services.exportBundle(o.case, o.out, { actor: consoleActor(), role: 'admin' },
          { lang: z.enum(['ar', 'en']).parse(o.lang), fullLog: !!o.fullLog, bom: !!o.bom, onProgress: bar.report }).finally(bar.stop);
        print(o.json, r, () => `bundle of ${o.case} written to ${r.path} (${r.files} files, ${r.bytes} bytes)\nmanifest sha256 ${r.manifestSha256}\nsigned by ${r.keyFingerprint}; log head ${r.headSeq} ${r.headHash}`);
      });
    });

  evidence.command('verify-bundle <path>').description('check a bundle offline: every file, the manifest, the signature and the log chain (no database, no network)')
    .option('--public-key <file>', 'the public key the sender gave you (PEM); without it only the key inside the bundle is used').option('--json', 'print JSON')
    .action(async (bundle: string, o) => {
      o.json ||= evidence.opts().json;
      if (!fs.existsSync(bundle)) throw new AppError('not-found', `${bundle} does not exist`, 404);
      const publicKeyPem = o.publicKey ? fs.readFileSync(o.publicKey, 'utf8') : undefined;
      const r = await verifyBundle(bundle, { publicKeyPem });
      print(o.json, r, () => (r.ok
        ? `bundle verifies: ${r.files} files, ${r.entries} evidence entries chained to head ${r.headSeq} ${r.headHash}, signed by ${r.keyFingerprint}` +
          `\nwithheld entries (other cases'): ${r.withheld.checked} recomputed from their body digests` +
          (r.withheld.linkedOnly ? `, ${r.withheld.linkedOnly} written before digests were kept (first hash form): linked by their hashes, not recomputable` : '') +
          (r.keyGiven ? '' : '\nwarning: no --public-key given: the signature was checked against the key inside the bundle, which anyone could have made')
        : `bundle does NOT verify: ${r.failed} ${r.reason}`));
      if (!r.ok) process.exitCode = 1;
    });

  const keys = program.commands.find((c) => c.name() === 'keys') ?? program.command('keys').description('the instance\u2019s Ed25519 key that signs evidence bundles');
  if (!keys.commands.some((c) => c.name() === 'show')) keys.command('show').description('print the public key (give it to recipients in advance) and its fingerprint').option('--json', 'print JSON')
    .action(async (o) => {
      const file = (await cliConfig()).evidence.keyFile;
      const k = loadOrCreateInstanceKey(file);
      print(o.json, { fingerprint: k.fingerprint, publicKeyPem: k.publicKeyPem, file }, () => `${k.publicKeyPem.trimEnd()}\nfingerprint ${k.fingerprint}`);
    });
  keys.command('rotate').description('make a new key; the old public key is kept so older bundles still verify').option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const r = rotateInstanceKey(services.instanceKeyFile);
        const at = services.clock().toISOString();
        services.db.transaction(() => services.evidence.append(at, 'instance-key-rotated', 'instance-key', { by: consoleActor(), previous: r.previous?.fingerprint ?? null, current: r.current.fingerprint }))();
        print(o.json, { previous: r.previous?.fingerprint ?? null, current: r.current.fingerprint, publicKeyPem: r.current.publicKeyPem }, () =>
          `new key ${r.current.fingerprint}${r.previous ? ` (was ${r.previous.fingerprint}, public key kept in ${services.instanceKeyFile}.retired/)` : ''}\n${r.current.publicKeyPem.trimEnd()}`);
      });
    });
}
