import { request } from '../../../api';
import type { TermlyReport } from '../../../../../src/governance/wire';

const query = (termId: string | null) => (termId ? `?term=${encodeURIComponent(termId)}` : '');

export const reportApi = {
  /** The current term to date when no term is named. */
  get: (termId: string | null) => request<TermlyReport>('GET', `/api/governance/report${query(termId)}`),
  /** Plain links: the browser downloads with the session cookie, and the server audits the export. */
  pdfUrl: (termId: string) => `/api/governance/report.pdf${query(termId)}`,
  htmlUrl: (termId: string) => `/api/governance/report.html${query(termId)}`,
};
