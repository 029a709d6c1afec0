// Online backups of the tracer's store, and restores that refuse a copy whose evidence chain does
// not verify. The copy is SQLite's own backup API (better-sqlite3's db.backup()), taken in one
// step: a read snapshot in WAL mode, so the server keeps writing hits meanwhile and the copy is
// exactly the store as of one commit (a step-by-step copy restarts whenever another connection
// writes, and under steady webhook traffic might never finish).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../errors.ts';
import { EvidenceLog } from '../evidence/log.ts';
import type { Db } from './db.ts';

export interface StoreCheck {
  path: string;
  bytes: number;
  hits: number;
  evidence: { ok: boolean; entries?: number; brokenAt?: number };
  integrity: string;
}

const ALL_AT_ONCE = 0x7fffffff;

/** Copies the open store to dest (which must not exist yet), then checks the copy. */
export async function backupStore(db: Db, dest: string): Promise<StoreCheck> {
  const target = path.resolve(dest);
  if (fs.existsSync(target)) throw new AppError('backup-exists', `${dest} already exists: name a new file (backups are never overwritten)`, 409);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  await db.backup(target, { progress: () => ALL_AT_ONCE });
  return checkStore(target);
}

/** Integrity, evidence chain and hit count of a store file, opened read-only. */
export function checkStore(file: string): StoreCheck {
  if (!fs.existsSync(file)) throw new AppError('not-found', `${file} does not exist`, 404);
  let db: Db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new AppError('not-a-store', `${file} is not a tracer store: ${(err as Error).message}`, 400);
  }
  try {
    const integrity = db.pragma('quick_check', { simple: true }) as string;
    const tables = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]);
    if (!tables.has('evidence_log') || !tables.has('hits')) throw new AppError('not-a-store', `${file} is not a tracer store (no evidence log)`, 400);
    const evidence = new EvidenceLog(db).verify();
    const hits = db.prepare('SELECT count(*) FROM hits').pluck().get() as number;
    return { path: file, bytes: fs.statSync(file).size, hits, evidence, integrity };
  } finally {
    db.close();
  }
}

/**
 * Puts a backup in place of the store at dest, after checking it: integrity and the whole evidence
 * chain. The store it replaces is kept beside it (`<dest>.before-restore-<time>`). The server must
 * be stopped: a running one would keep writing to the file it has open.
 */
export async function restoreStore(from: string, dest: string, now: Date): Promise<StoreCheck & { previous: string | null }> {
  const check = checkStore(from);
  if (check.integrity !== 'ok') throw new AppError('backup-damaged', `${from} fails SQLite's integrity check: ${check.integrity}`, 409);
  if (!check.evidence.ok) {
    throw new AppError('evidence-broken', `${from}: the evidence chain breaks at entry ${check.evidence.brokenAt}; nothing restored`, 409);
  }
  const target = path.resolve(dest);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = `${target}.restoring`;
  fs.rmSync(staging, { force: true });
  const source = new Database(from, { readonly: true, fileMustExist: true });
  try {
    await source.backup(staging, { progress: () => ALL_AT_ONCE });
  } finally {
    source.close();
  }
  let previous: string | null = null;
  if (fs.existsSync(target)) {
    previous = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    // Fold the old store's WAL into it first, so the file kept aside is whole on its own.
    const old = new Database(target);
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    fs.renameSync(target, previous);
  }
  for (const side of ['-wal', '-shm']) fs.rmSync(`${target}${side}`, { force: true });
  fs.renameSync(staging, target);
  return { ...checkStore(target), previous };
}
