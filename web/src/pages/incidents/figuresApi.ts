import { request } from '../../api';

/** Counts along one dimension each, as GET /api/incidents/stats answers: never a name. */
export interface IncidentCounts {
  total: number;
  byCategory: Record<string, number>;
  bySubjectKind: Record<string, number>;
  byYearGroup: Record<string, number>;
  byOutcome: { open: number; closed: number };
  byConclusion: Record<string, number>;
  byTerm: Record<string, number>;
}

export interface IncidentStats {
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  current: IncidentCounts;
  previous: IncidentCounts;
}

/** The days a governor picks, as "YYYY-MM-DD"; "to" is included. */
export interface DayRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The last twelve months up to and including today. */
export function lastTwelveMonths(today: Date): DayRange {
  const from = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), today.getUTCDate() + 1));
  return { from: isoDay(from), to: isoDay(today) };
}

/** The server's period is [from, to): the day after "to" starts where the range ends. */
function periodQuery(range: DayRange, format?: 'csv'): string {
  const end = new Date(new Date(`${range.to}T00:00:00Z`).getTime() + DAY_MS);
  const search = new URLSearchParams({ from: `${range.from}T00:00:00Z`, to: end.toISOString() });
  if (format) search.set('format', format);
  return `?${search.toString()}`;
}

export const figuresApi = {
  stats: (range: DayRange) => request<IncidentStats>('GET', `/api/incidents/stats${periodQuery(range)}`),
  /** A plain link: the browser downloads the file with the session cookie; the server audits it. */
  anonymisedLogCsvUrl: (range: DayRange) => `/api/incidents/log/anonymised${periodQuery(range, 'csv')}`,
};
