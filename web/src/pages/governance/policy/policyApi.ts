import type { CommunicationRow, PolicyOverview, PolicyTables, PolicyVersionView } from '../../../../../src/policy/wire';
import { request } from '../../../api';

// The shapes and the column names come from the server's own module, so the two cannot disagree.
export {
  COMMUNICATION_LEVEL_NAMES,
  POLICY_TABLE_TITLES,
  STAFF_COMMUNICATION_LEVELS,
  STUDENT_COMMUNICATION_LEVELS,
  USER_ACTION_COLUMNS,
  USER_ACTION_LEVELS,
} from '../../../../../src/policy/wire';
export type { CommunicationRow, PolicyOverview, PolicyTables, PolicyVersionView };

export interface DraftChanges {
  title?: string;
  bodyMd?: string;
  changeNote?: string;
  monitoringCycle?: string;
  reviewMonths?: number;
}

export interface ApprovalInput {
  approvedOn: string;
  approvedByBody: string;
  minuteRef: string;
  nextReviewOn?: string;
}

export const documentUrl = (id: string, format: 'html' | 'pdf') => `/api/policy/versions/${encodeURIComponent(id)}/document.${format}`;

export const policyApi = {
  overview: () => request<PolicyOverview>('GET', '/api/policy'),
  version: (id: string) => request<PolicyVersionView>('GET', `/api/policy/versions/${encodeURIComponent(id)}`),
  tables: () => request<PolicyTables>('GET', '/api/policy/tables'),
  startDraft: (changeNote: string) => request<PolicyVersionView>('POST', '/api/policy/versions', { changeNote }),
  saveDraft: (id: string, changes: DraftChanges) =>
    request<PolicyVersionView>('PATCH', `/api/policy/versions/${encodeURIComponent(id)}`, changes),
  approve: (id: string, input: ApprovalInput) =>
    request<PolicyVersionView>('POST', `/api/policy/versions/${encodeURIComponent(id)}/approve`, input),
  saveCommunications: (rows: CommunicationRow[]) => request<{ rows: CommunicationRow[] }>('PUT', '/api/policy/communications', { rows }),
};
