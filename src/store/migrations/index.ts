import type { Migration } from '../migrate.ts';
import { initial } from './20261128100000-initial.ts';
import { plantingLifecycle } from './20261202100000-planting-lifecycle.ts';
import { numberLifecycle } from './20261203100000-number-lifecycle.ts';
import { targetProfiles } from './20261213100000-target-profiles.ts';

// One line per migration file; the runner sorts by id.
export const migrations: Migration[] = [initial, plantingLifecycle, numberLifecycle,
  targetProfiles,
];
