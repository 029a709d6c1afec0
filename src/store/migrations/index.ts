import type { Migration } from '../migrate.ts';
import { initial } from './20261128100000-initial.ts';
import { plantingLifecycle } from './20261202100000-planting-lifecycle.ts';
import { numberLifecycle } from './20261203100000-number-lifecycle.ts';
import { exposureCampaigns } from './20261209100000-exposure-campaigns.ts';
import { parties } from './20261216100000-parties.ts';

// One line per migration file; the runner sorts by id.
export const migrations: Migration[] = [initial, plantingLifecycle, numberLifecycle, exposureCampaigns, parties];
