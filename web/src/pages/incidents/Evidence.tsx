import type { IncidentDetail } from '../../types';

/** Evidence files of an incident, with their chain of custody. */
export function EvidenceSection(_props: { incident: IncidentDetail; reload: () => void }) {
  return null;
}
