import { request } from '../../api';
import type { KeywordEntry } from '../../../../src/monitor/keywords/types';

export type { KeywordEntry };

/** An entry as the library screen shows it: with how its alerts were judged. */
export interface LibraryEntry extends KeywordEntry {
  alerts: number;
  /** Alerts a DSL has marked false positive, escalated or closed. */
  decided: number;
  falsePositives: number;
  /** False positives over alerts a DSL has decided; null while none has been. */
  falsePositiveRate: number | null;
}

export interface LibraryPage {
  version: number;
  createdAt: string | null;
  createdBy: string | null;
  summary: string;
  entryCount: number;
  languages: string[];
  total: number;
  entries: LibraryEntry[];
}

export interface LibraryVersion {
  version: number;
  createdAt: string | null;
  createdBy: string | null;
  summary: string;
  entryCount: number;
}

export interface LibraryProblem {
  row?: number;
  entryId?: string;
  message: string;
}

export interface ImportOutcome {
  version?: number;
  dryRun: boolean;
  added: number;
  changed: number;
  removed: number;
  errors: LibraryProblem[];
}

export type ImportMode = 'replace' | 'merge';
export type EntryInput = Omit<KeywordEntry, 'id'> & { id?: string };

const base = '/api/monitor/library';
const enc = encodeURIComponent;

export const libraryApi = {
  page: (q: { category?: string; language?: string; q?: string; offset: number; limit: number }) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
    return request<LibraryPage>('GET', `${base}/?${params}`);
  },
  versions: () => request<LibraryVersion[]>('GET', `${base}/versions`),
  addEntry: (baseVersion: number, entry: EntryInput) => request<LibraryVersion>('POST', `${base}/entries`, { baseVersion, entry }),
  updateEntry: (baseVersion: number, id: string, entry: EntryInput) =>
    request<LibraryVersion>('PUT', `${base}/entries/${enc(id)}`, { baseVersion, entry }),
  removeEntry: (baseVersion: number, id: string) => request<LibraryVersion>('POST', `${base}/entries/${enc(id)}/delete`, { baseVersion }),
  restore: (baseVersion: number, version: number) =>
    request<LibraryVersion>('POST', `${base}/versions/${version}/restore`, { baseVersion }),
  importCsv: (body: { baseVersion: number; csv: string; mode: ImportMode; dryRun: boolean; fileName?: string }) =>
    request<ImportOutcome>('POST', `${base}/import`, body),
  /** A plain link, so the browser downloads the file with the session cookie. */
  exportUrl: `${base}/export.csv`,
};

/** The rules beyond the term, in words: "whole word; near 'wrists' (3 words); 2 exceptions". */
export function rulesSummary(entry: KeywordEntry): string {
  const parts = [entry.wholeWord === false ? 'inside words too' : 'whole word'];
  if (entry.near) parts.push(`near “${entry.near.phrase}” (${entry.near.words} ${entry.near.words === 1 ? 'word' : 'words'})`);
  const n = entry.exceptions?.length ?? 0;
  if (n > 0) parts.push(`${n} ${n === 1 ? 'exception' : 'exceptions'}`);
  return parts.join('; ');
}

/** "25% of 4 decided (5 alerts)", or why there is no rate yet. */
export function falsePositiveText(entry: LibraryEntry): string {
  if (entry.alerts === 0) return 'No alerts yet';
  if (entry.falsePositiveRate === null) return `None decided (${entry.alerts} ${entry.alerts === 1 ? 'alert' : 'alerts'})`;
  const percent = Math.round(entry.falsePositiveRate * 100);
  return `${percent}% of ${entry.decided} decided (${entry.alerts} ${entry.alerts === 1 ? 'alert' : 'alerts'})`;
}
