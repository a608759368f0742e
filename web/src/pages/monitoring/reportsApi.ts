import type { ReportKind } from '../../../../src/monitor/reports/period';
import type { ReportData } from '../../../../src/monitor/reports/types';
import type { PurgeStatus, SchoolPurge } from '../../../../src/monitor/retention/wire';
import type { MonitorSettings } from '../../../../src/monitor/settings';
import { ApiError, request } from '../../api';

export type { MonitorSettings, ReportData, ReportKind };
export type RetentionStatus = PurgeStatus;
export type PurgeResult = SchoolPurge;

/** One line of GET /api/monitor/reports. */
export interface ReportListItem {
  id: string;
  kind: ReportKind;
  periodStart: string;
  periodEnd: string;
  /** Local dates (Europe/London) the report covers. */
  firstDate: string;
  lastDate: string;
  createdAt: string;
  emailedTo: number;
}

export interface ReportRun extends Omit<ReportListItem, 'firstDate' | 'lastDate'> {
  schoolId: string;
  /** False when the report for that period existed already: it was not sent again. */
  created: boolean;
}

const enc = encodeURIComponent;

/**
 * Reports, monitoring settings and retention. Every read of a report is audited by the server,
 * because reports name pupils.
 */
export const reportsApi = {
  list: () => request<ReportListItem[]>('GET', '/api/monitor/reports'),
  run: (kind: ReportKind, date?: string) => request<ReportRun>('POST', '/api/monitor/reports/run', { kind, date: date || undefined }),
  /** The standalone printable page, for a new tab. */
  htmlUrl: (id: string) => `/api/monitor/reports/${enc(id)}?format=html`,
  /** The same page as text, to show inside the app. */
  html: async (id: string): Promise<string> => {
    let response: Response;
    try {
      response = await fetch(`/api/monitor/reports/${enc(id)}?format=html`, {
        credentials: 'same-origin',
        headers: { accept: 'text/html' },
      });
    } catch {
      throw new ApiError(0, 'network_error', 'Tutela could not be reached. Check your connection and try again.');
    }
    const text = await response.text();
    if (!response.ok) {
      let body: { error?: string; message?: string } = {};
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON: the status says enough */
      }
      throw new ApiError(response.status, body.error ?? 'http_error', body.message ?? `The server answered ${response.status}.`);
    }
    return text;
  },
  settings: () => request<MonitorSettings>('GET', '/api/monitor/settings'),
  saveSettings: (settings: MonitorSettings) => request<MonitorSettings>('PUT', '/api/monitor/settings', settings),
  retention: () => request<RetentionStatus>('GET', '/api/monitor/retention'),
  runRetention: (dryRun: boolean) => request<PurgeResult>('POST', '/api/monitor/retention/run', { dryRun }),
};
