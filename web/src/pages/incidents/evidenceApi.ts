import { request, upload } from '../../api';

/** One evidence file as the server lists it; the bytes stay encrypted on the server. */
export interface EvidenceFile {
  id: string;
  filename: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  description: string | null;
  uploadedBy: { id: string; name: string };
  uploadedAt: string;
}

export interface CustodyEvent {
  seq: number;
  event: 'upload' | 'view' | 'export' | 'verify';
  by: string;
  at: string;
  ip: string | null;
  sha256Seen: string | null;
  details: Record<string, unknown> | null;
}

/** What the incident accepts, so the form can say so before anything is sent. */
export interface EvidenceRules {
  maxBytes: number;
  mediaTypes: string[];
  archived: boolean;
  imagesAndVideoRefused: { reason: string; message: string } | null;
}

const enc = encodeURIComponent;
const base = (incidentId: string) => `/api/incidents/${enc(incidentId)}/evidence`;

/** Evidence files of one incident: every list, view and export is audited by the server. */
export const evidenceApi = {
  list: (incidentId: string) => request<EvidenceFile[]>('GET', base(incidentId)),
  rules: (incidentId: string) => request<EvidenceRules>('GET', `${base(incidentId)}/rules`),
  custody: (incidentId: string, evidenceId: string) => request<CustodyEvent[]>('GET', `${base(incidentId)}/${enc(evidenceId)}/custody`),
  upload: (incidentId: string, file: File, description: string) =>
    upload<EvidenceFile>(base(incidentId), file, {
      'x-filename': enc(file.name),
      ...(description.trim() ? { 'x-description': enc(description.trim()) } : {}),
    }),
  /** Plain links: the browser downloads with the session cookie, and the server records custody. */
  viewUrl: (incidentId: string, evidenceId: string) => `${base(incidentId)}/${enc(evidenceId)}`,
  exportUrl: (incidentId: string, evidenceId: string, recipient: string) =>
    `${base(incidentId)}/${enc(evidenceId)}/export${recipient.trim() ? `?recipient=${enc(recipient.trim())}` : ''}`,
};

/** "20 MB", "1.5 MB", "12 KB", "42 bytes". */
export const formatSize = (n: number): string =>
  n >= 1024 * 1024 ? `${Number((n / (1024 * 1024)).toFixed(1))} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;
