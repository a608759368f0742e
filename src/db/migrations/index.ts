import type { Migration } from 'kysely';
import * as foundation from './20261124_0001_foundation.js';
import * as filtering from './20261124_0002_filtering.js';
import * as safeguarding from './20261124_0003_safeguarding.js';
import * as investigation from './20261124_0004_investigation_evidence_records.js';
import * as monitoring from './20261124_0005_monitoring.js';
import * as agreements from './20261124_0006_agreements_consent_training.js';
import * as governance from './20261124_0007_policy_review_governance.js';

/**
 * Every migration, in order. Listed by hand rather than read from the folder so that the
 * built program carries them wherever it is installed. Names are timestamps; never rename one.
 */
export const migrations: Record<string, Migration> = {
  '20261124_0001_foundation': foundation,
  '20261124_0002_filtering': filtering,
  '20261124_0003_safeguarding': safeguarding,
  '20261124_0004_investigation_evidence_records': investigation,
  '20261124_0005_monitoring': monitoring,
  '20261124_0006_agreements_consent_training': agreements,
  '20261124_0007_policy_review_governance': governance,
};
