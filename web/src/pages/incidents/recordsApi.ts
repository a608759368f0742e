import { request } from '../../api';
import type { IncidentSummary } from '../../types';

/** One dated line of a student's chronology, as GET /api/incidents/students/:id/chronology answers. */
export type ChronologyItem =
  | { kind: 'incident'; at: string; incidentId: string; reference: string; category: string; role: string; status: string }
  | { kind: 'action'; at: string; incidentId: string; reference: string; action: string; status: string }
  | { kind: 'sanction'; at: string; from: string; until: string; reason: string; lifted: string | null }
  | { kind: 'filter_alert'; at: string; host: string | null; category: string | null };

export interface Chronology {
  student: { personId: string; name: string; yearGroup: number | null };
  items: ChronologyItem[];
}

export type RecordType = 'student_safeguarding' | 'student_misuse' | 'staff';

export interface DueIncident {
  id: string;
  reference: string;
  category: string;
  recordType: RecordType;
  dueAt: string | null;
  closedAt: string | null;
  reason: string;
}

export interface RetentionStatus {
  rules: { studentYearsAfterBirth: number; misuseYearsAfterClose: number; staffYearsAfterClose: number; jobHours: number };
  /** Only those you may read; the counts include every one. */
  due: DueIncident[];
  dueCounts: Record<RecordType, number>;
  archivedCount: number;
  runs: { id: string; ranAt: string; ranBy: string; archived: number; counts: Record<RecordType, number> }[];
}

export interface RetentionRunResult {
  dryRun: boolean;
  ranAt: string;
  runId: string | null;
  counts: Record<RecordType, number>;
  incidents: DueIncident[];
}

const enc = encodeURIComponent;

/**
 * Safeguarding records: a student's chronology and exports, and retention. The exports are
 * plain links, so the browser downloads or prints them with the session cookie; the server
 * audits each one.
 */
export const recordsApi = {
  chronology: (personId: string) => request<Chronology>('GET', `/api/incidents/students/${enc(personId)}/chronology`),
  studentFileUrl: (personId: string, format: 'json' | 'html') => `/api/incidents/students/${enc(personId)}/file?format=${format}`,
  subjectAccessUrl: (personId: string, format: 'json' | 'html') => `/api/incidents/subject-access/${enc(personId)}?format=${format}`,
  retention: () => request<RetentionStatus>('GET', '/api/incidents/retention'),
  runRetention: (dryRun: boolean) => request<RetentionRunResult>('POST', '/api/incidents/retention/run', { dryRun }),
  archived: () => request<IncidentSummary[]>('GET', '/api/incidents?archived=1'),
};

export const RECORD_TYPE_LABELS: Record<RecordType, string> = {
  student_safeguarding: 'Student safeguarding',
  student_misuse: 'Student misuse of systems',
  staff: 'About a member of staff',
};
