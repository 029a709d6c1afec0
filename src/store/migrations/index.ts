import type { Migration } from '../migrate.ts';
import { initial } from './20261128100000-initial.ts';

// One line per migration file; the runner sorts by id.
export const migrations: Migration[] = [initial];
