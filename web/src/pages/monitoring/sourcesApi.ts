import { request } from '../../api';

export type SourceKind = 'capture' | 'syslog' | 'file';
export type SyslogFormat = 'squid' | 'e2guardian' | 'text';

export interface MonitorSource {
  id: string;
  name: string;
  kind: SourceKind;
  /** The key's first characters; the key itself is shown once, when it is made. */
  keyHint: string | null;
  address: string | null;
  format: SyslogFormat | null;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
  lastEventAt: string | null;
}

export const SYSLOG_FORMATS: { id: SyslogFormat; label: string }[] = [
  { id: 'squid', label: "Squid's access log (native format)" },
  { id: 'e2guardian', label: "e2guardian's access log" },
  { id: 'text', label: 'Plain text messages' },
];

export const sourcesApi = {
  list: () => request<MonitorSource[]>('GET', '/api/monitor/sources'),
  addCapture: (name: string) => request<{ source: MonitorSource; key: string }>('POST', '/api/monitor/sources', { kind: 'capture', name }),
  addSyslog: (input: { name: string; address: string; format: SyslogFormat }) =>
    request<{ source: MonitorSource }>('POST', '/api/monitor/sources', { kind: 'syslog', ...input }),
  revoke: (id: string) => request<MonitorSource>('POST', `/api/monitor/sources/${encodeURIComponent(id)}/revoke`, {}),
};
