// Checkpoints anchor the evidence chain outside the store: (sequence, head hash, time), signed
// with the instance's Ed25519 key, appended as one JSON line to a file. Verify checks the chain
// against every checkpoint it is given: an edit followed by recomputing every later hash (a
// re-chain) changes the hash at a checkpointed sequence, and a log cut back ends before it.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { verifySignature, type InstanceKey } from '../keys/instance-key.ts';

export const checkpointSchema = z.object({
  v: z.literal(1),
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
  keyFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.string().min(1),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** Exactly what is signed: a domain tag, then the fields, as JSON. */
export const checkpointMessage = (c: Pick<Checkpoint, 'seq' | 'hash' | 'at'>) =>
  Buffer.from(JSON.stringify(['canary-tracer evidence checkpoint v1', c.seq, c.hash, c.at]));

export function signCheckpoint(key: InstanceKey, head: { seq: number; hash: string }, at: string): Checkpoint {
  return { v: 1, seq: head.seq, hash: head.hash, at, keyFingerprint: key.fingerprint, signature: key.sign(checkpointMessage({ ...head, at })) };
}

export const checkpointSignedBy = (c: Checkpoint, publicKeyPem: string) => verifySignature(publicKeyPem, checkpointMessage(c), c.signature);

/** Appends one checkpoint line and syncs it to disk before returning. */
export function appendCheckpoint(file: string, c: Checkpoint): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const fd = fs.openSync(file, 'a', 0o644);
  try {
    fs.writeSync(fd, `${JSON.stringify(c)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a checkpoint file (JSON lines). A line that is not a checkpoint is an error naming the line. */
export function readCheckpoints(file: string): Checkpoint[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((line, i) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1} is not JSON`);
    }
    const r = checkpointSchema.safeParse(parsed);
    if (!r.success) throw new Error(`${file}:${i + 1} is not a checkpoint`);
    return r.data;
  });
}

export function lastCheckpoint(file: string): Checkpoint | undefined {
  return readCheckpoints(file).at(-1);
}
