// The instance's Ed25519 key (node:crypto): signs evidence checkpoints now and evidence bundles
// later. Kept in a PEM file outside the store, created on first use with owner-only permissions.
// Whoever holds the file can sign as this tracer: back it up like the store, never commit it.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface InstanceKey {
  /** SPKI PEM of the public key: what verifiers are given. */
  publicKeyPem: string;
  /** SHA-256 of the public key's DER, hex: short enough to read aloud and compare. */
  fingerprint: string;
  sign(message: Buffer): string;
}

/** Loads the key at `file`, creating it (and its folder) the first time. */
export function loadOrCreateInstanceKey(file: string): InstanceKey {
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    pem = createKeyFile(file);
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} does not hold an Ed25519 private key`);
  return fromPrivateKey(privateKey);
}

function createKeyFile(file: string): string {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  try {
    // 'wx': never overwrite a key another process created a moment ago.
    fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    return pem;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8');
    throw err;
  }
}

function fromPrivateKey(privateKey: KeyObject): InstanceKey {
  const publicKey = createPublicKey(privateKey);
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    fingerprint: fingerprintOf(publicKey),
    sign: (message) => sign(null, message, privateKey).toString('base64'),
  };
}

export function fingerprintOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Checks an Ed25519 signature (base64) over `message` with a public key (SPKI PEM). */
export function verifySignature(publicKeyPem: string, message: Buffer, signature: string): boolean {
  try {
    return verify(null, message, createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
