import fs from 'node:fs';
import path from 'node:path';
import { loadOrCreateInstanceKey, type InstanceKey } from './instance-key.ts';

/** A new key replaces the old; the old public key is kept in `<file>.retired/<fingerprint>.pem` so older bundles still verify. */
export function rotateInstanceKey(file: string): { previous: InstanceKey | null; current: InstanceKey } {
  const previous = fs.existsSync(file) ? loadOrCreateInstanceKey(file) : null;
  if (previous) {
    const dir = `${file}.retired`;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${previous.fingerprint}.pem`), previous.publicKeyPem);
    fs.renameSync(file, path.join(dir, `${previous.fingerprint}.private.pem`));
  }
  return { previous, current: loadOrCreateInstanceKey(file) };
}

/**
 * Where the key lives when config does not say: beside the tracer's store (the same default as
 * INSTANCE_KEY_FILE on the evidence-checkpoint branch; use config's keyFile once both are merged).
 */
export const instanceKeyPath = (tracerDb: string) =>
  path.join(tracerDb === ':memory:' ? './data' : path.dirname(path.resolve(tracerDb)), 'instance-key.pem');
