import type { IncidentDetail } from '../../types';

/** The investigation form ("the form" of the policy) and the illegal-content procedure. */
export function InvestigationSection(_props: { incident: IncidentDetail; reload: () => void }) {
  return null;
}
