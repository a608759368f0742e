import { request } from '../../api';

export type Procedure = 'standard' | 'illegal';
export type Conclusion = 'substantiated' | 'not_substantiated';

export interface InvestigatorView {
  personId: string;
  name: string;
  senior: boolean;
  addedAt: string;
}

/** The investigation as the server shows it; `missing` lists what the procedure still needs. */
export interface InvestigationView {
  procedure: Procedure;
  investigation: {
    procedure: Procedure;
    urls: string[];
    contentDescription: string;
    designatedComputer: string | null;
    policeReference: string | null;
    policeReferredAt: string | null;
    policeReferredBy: { id: string; name: string } | null;
    deviceIsolatedAt: string | null;
    deviceIsolatedBy: { id: string; name: string } | null;
    conclusion: Conclusion | null;
    actionsTaken: string | null;
    concludedAt: string | null;
    concludedBy: { id: string; name: string } | null;
    createdAt: string;
    updatedAt: string;
  } | null;
  investigators: InvestigatorView[];
  missing: string[];
}

export interface InvestigationForm {
  urls: string[];
  contentDescription: string;
  designatedComputer?: string;
  suspectedIllegal?: boolean;
  suspectedCsam?: boolean;
}

const enc = encodeURIComponent;
const base = (incidentId: string) => `/api/incidents/${enc(incidentId)}/investigation`;

/** The investigation form of one incident: responders only, every read audited by the server. */
export const investigationApi = {
  get: (incidentId: string) => request<InvestigationView>('GET', base(incidentId)),
  save: (incidentId: string, form: InvestigationForm) => request<InvestigationView>('PUT', base(incidentId), form),
  addInvestigator: (incidentId: string, personId: string) =>
    request<InvestigationView>('POST', `${base(incidentId)}/investigators`, { personId }),
  police: (incidentId: string, reference: string, referredAt: string) =>
    request<InvestigationView>('POST', `${base(incidentId)}/police`, { reference, referredAt }),
  deviceIsolated: (incidentId: string, note: string) =>
    request<InvestigationView>('POST', `${base(incidentId)}/device-isolated`, note.trim() ? { note: note.trim() } : {}),
  conclude: (incidentId: string, conclusion: Conclusion, actionsTaken: string) =>
    request<InvestigationView>('POST', `${base(incidentId)}/conclude`, { conclusion, actionsTaken }),
  /** A plain link: the browser opens it with the session cookie and the server audits the export. */
  printUrl: (incidentId: string) => `${base(incidentId)}/print`,
};
