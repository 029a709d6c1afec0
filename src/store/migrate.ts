import type Database from 'better-sqlite3';
import { migrations } from './migrations/index.ts';

export interface Migration {
  /** `<timestamp>-<name>`, sorted lexically = applied in order. */
  id: string;
  up(db: Database.Database): void;
}

/** Applies every migration not yet applied, each in its own transaction. Returns the ids applied. */
export function migrate(db: Database.Database): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[],
  );
  const ran: string[] = [];
  const sorted = [...migrations].sort((a, b) => a.id.localeCompare(b.id));
  for (const m of sorted) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, new Date().toISOString());
    })();
    ran.push(m.id);
  }
  return ran;
}
