import type { Migration } from '../migrate.ts';
import { initial } from './20261128100000-initial.ts';
import { plantingLifecycle } from './20261202100000-planting-lifecycle.ts';
import { numberLifecycle } from './20261203100000-number-lifecycle.ts';
import { exposureCampaigns } from './20261209100000-exposure-campaigns.ts';
import { publishedVerdicts } from './20261209200000-published-verdicts.ts';
import { listPaging } from './20261210100000-list-paging.ts';
import { channelManagement } from './20261210110000-channel-management.ts';
import { securityEventsAggregated } from './20261211100000-security-events.ts';
import { evidenceBinding } from './20261211110000-evidence-binding.ts';
import { targetProfiles } from './20261213100000-target-profiles.ts';
import { dashboardSessions } from './20261214100000-dashboard-sessions.ts';
import { cases } from './20261215100000-cases.ts';
import { parties } from './20261216100000-parties.ts';
import { factBindingBackfill } from './20261217100000-fact-binding-backfill.ts';
import { alerts } from './20261212100000-alerts.ts';
import { evidenceSalt } from './20261217100000-evidence-salt.ts';
import { shiftCampaigns } from './20261218100000-shift-campaigns.ts';
import { backgroundIndex } from './20261219100000-background-index.ts';
import { factRevisions } from './20261222100000-fact-revisions.ts';
import { lookupRevision } from './20261223100000-lookup-revision.ts';

// One line per migration file; the runner sorts by id.
export const migrations: Migration[] = [initial, plantingLifecycle, numberLifecycle, exposureCampaigns, publishedVerdicts, listPaging, channelManagement, securityEventsAggregated, evidenceBinding, alerts, targetProfiles, dashboardSessions, cases, parties, evidenceSalt, factBindingBackfill, shiftCampaigns, backgroundIndex, factRevisions, lookupRevision];
