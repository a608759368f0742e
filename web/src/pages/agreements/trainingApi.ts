import { TRAINING_KINDS, type TrainingKind } from '../../../../src/db/tables';
import type { TrainingRecordView } from '../../../../src/training/wire';
import { request } from '../../api';

// The kinds come from the server's own table definitions, so the two cannot disagree.
export { TRAINING_KINDS, type TrainingKind };
export type TrainingRecord = TrainingRecordView;
export type TrainingState = 'up_to_date' | 'due_soon' | 'overdue';

export const KIND_LABELS: Record<TrainingKind, string> = {
  induction: 'Induction',
  annual_refresher: 'Annual refresher',
  dsl: 'DSL training',
  external: 'External course',
};

export const STATE_LABELS: Record<TrainingState, string> = {
  up_to_date: 'Up to date',
  due_soon: 'Due soon',
  overdue: 'Overdue',
};

export interface KindStatus {
  kind: Exclude<TrainingKind, 'external'>;
  state: TrainingState;
  reason: 'missing' | 'expired' | null;
  recordId: string | null;
  completedOn: string | null;
  expiresOn: string | null;
}

export interface PersonTraining {
  person: { id: string; name: string; kind: string; isDsl: boolean; teams: { id: string; name: string }[] };
  today: string;
  state: TrainingState;
  status: KindStatus[];
  records: TrainingRecord[];
}

export interface OverduePerson {
  personId: string;
  name: string;
  kind: string;
  team: string;
  teams: { id: string; name: string }[];
  state: TrainingState;
  overdue: TrainingKind[];
  dueSoon: TrainingKind[];
}

export interface OverdueReport {
  today: string;
  totals: { people: number; upToDate: number; dueSoon: number; overdue: number };
  byTeam: { teamId: string; name: string; people: number; overdue: number; dueSoon: number }[];
  people: OverduePerson[];
}

export interface RecordInput {
  kind: TrainingKind;
  title: string;
  provider: string;
  completedOn: string;
  expiresOn: string | null;
  evidence: string | null;
}

export interface ImportReport {
  status: 'dry_run' | 'imported' | 'rejected';
  rows: number;
  created: number;
  duplicates: number;
  errors: { line: number; reason: string }[];
}

const query = (params: Record<string, string | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
};

export const trainingApi = {
  person: (id: string) => request<PersonTraining>('GET', `/api/training/people/${encodeURIComponent(id)}`),
  overdue: (filters: { teamId?: string; kind?: string }) => request<OverdueReport>('GET', `/api/training/overdue${query(filters)}`),
  create: (personId: string, input: RecordInput) => request<TrainingRecord>('POST', '/api/training/records', { personId, ...input }),
  update: (id: string, input: RecordInput) => request<TrainingRecord>('PUT', `/api/training/records/${encodeURIComponent(id)}`, input),
  remove: (id: string) => request<{ deleted: string }>('POST', `/api/training/records/${encodeURIComponent(id)}/delete`, {}),
  importCsv: (csv: string, dryRun: boolean) => request<ImportReport>('POST', '/api/training/import', { csv, dryRun }),
  remind: (teamId?: string) =>
    request<{ reminded: number; sent: number; noEmail: number }>('POST', '/api/training/reminders', teamId ? { teamId } : {}),
};
