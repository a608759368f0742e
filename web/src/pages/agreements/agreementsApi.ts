import { request } from '../../api';

export type AgreementAudience = 'ks1' | 'ks2' | 'secondary' | 'staff' | 'parent' | 'community';

export const AUDIENCES: { id: AgreementAudience; label: string }[] = [
  { id: 'ks1', label: 'Key stage 1 pupils' },
  { id: 'ks2', label: 'Key stage 2 pupils' },
  { id: 'secondary', label: 'Secondary students' },
  { id: 'staff', label: 'Staff and volunteers' },
  { id: 'parent', label: 'Parents and carers' },
  { id: 'community', label: 'Community users and guests' },
];

export const audienceLabel = (audience: string) => AUDIENCES.find((a) => a.id === audience)?.label ?? audience;

/** The words of the school's policy (seed 001) beside the Accept button. */
export const ACCEPT_WORDS = 'By clicking Accept I acknowledge that I have read and understood the agreement and will follow it.';

export interface AgreementDocument {
  id: string;
  audience: AgreementAudience;
  version: number;
  title: string;
  bodyMd: string;
}

export interface MyAgreement {
  personId: string;
  personName: string;
  audience: AgreementAudience;
  /** A parent accepting for their child. */
  onBehalf: boolean;
  canAccept: boolean;
  document: AgreementDocument;
  accepted: { at: string; version: number; byName: string } | null;
  /** No acceptance of the current version this school year. */
  due: boolean;
}

export interface MyAgreements {
  required: boolean;
  agreements: MyAgreement[];
}

export interface VersionSummary {
  version: number;
  changeNote: string;
  createdAt: string;
  createdBy: string | null;
}

export interface AudienceDocuments {
  audience: AgreementAudience;
  current: (Omit<AgreementDocument, 'audience'> & VersionSummary) | null;
  versions: VersionSummary[];
}

export interface CoverageGroup {
  groupId: string;
  name: string;
  kind: string;
  people: number;
  accepted: number;
  outstanding: number;
}

export interface OutstandingPerson {
  personId: string;
  name: string;
  audience: AgreementAudience;
  group: string | null;
  lastAcceptedVersion: number | null;
}

export interface Coverage {
  schoolYear: string;
  totals: { people: number; accepted: number; outstanding: number };
  byGroup: CoverageGroup[];
  outstanding: OutstandingPerson[];
}

export interface CoverageFilter {
  audience?: string;
  groupId?: string;
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

const enc = encodeURIComponent;

export interface AgreementSettings {
  renewOn: string;
  holdInFilter: boolean;
}

export const agreementsApi = {
  mine: () => request<MyAgreements>('GET', '/api/agreements/mine'),
  accept: (documentId: string, personId: string) => request<unknown>('POST', '/api/agreements/accept', { documentId, personId }),
  documents: () => request<{ audiences: AudienceDocuments[] }>('GET', '/api/agreements/documents'),
  version: (audience: string, version: number) =>
    request<AgreementDocument & VersionSummary>('GET', `/api/agreements/documents/${enc(audience)}/versions/${version}`),
  publish: (audience: string, body: { title: string; bodyMd: string; changeNote: string }) =>
    request<unknown>('POST', `/api/agreements/documents/${enc(audience)}`, body),
  coverage: (filter: CoverageFilter) => request<Coverage>('GET', `/api/agreements/coverage${query({ ...filter })}`),
  /** A plain link, so the browser downloads the file with the session cookie. */
  coverageCsvUrl: (filter: CoverageFilter) => `/api/agreements/coverage/export.csv${query({ ...filter })}`,
  remind: (filter: CoverageFilter) => request<{ sent: number; noEmail: number }>('POST', '/api/agreements/reminders', filter),
  settings: () => request<AgreementSettings>('GET', '/api/agreements/settings'),
  saveSettings: (settings: { renewOn: string; holdInFilter?: boolean }) =>
    request<AgreementSettings>('PUT', '/api/agreements/settings', settings),
};
