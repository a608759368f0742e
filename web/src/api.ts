import type {
  Account,
  AuditEntry,
  AuditVerification,
  DirectoryStats,
  GroupDetail,
  GroupSummary,
  ImportFile,
  ImportOptions,
  ImportPreview,
  ImportReport,
  ImportRun,
  Me,
  MembershipChange,
  NewGroup,
  NewPerson,
  OidcProvider,
  Page,
  PeopleQuery,
  PersonDetail,
  PersonEdit,
  PersonSummary,
  School,
  SchoolPhase,
  SessionView,
  SetupInput,
  TotpEnrolment,
} from './types';

/** An error the API answered with: `error` is the stable id to match on, `message` is for people. */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Errors that mean the session, not the request, needs attention. */
export type SessionProblem = 'unauthenticated' | 'session_locked' | 'totp_required' | 'totp_enrolment_required';
const SESSION_PROBLEMS: ReadonlySet<string> = new Set<SessionProblem>([
  'unauthenticated',
  'session_locked',
  'totp_required',
  'totp_enrolment_required',
]);

let csrfToken: string | null = null;
let onSessionProblem: ((problem: SessionProblem) => void) | null = null;
let lastContact = 0;

/** The session owner registers here to show the lock screen or sign-in page when the server asks. */
export function setSessionProblemHandler(handler: ((problem: SessionProblem) => void) | null): void {
  onSessionProblem = handler;
}

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** When the server last heard from this tab; the idle-lock keep-alive uses it. */
export const lastServerContact = () => lastContact;

const isSessionView = (body: unknown): body is SessionView =>
  typeof body === 'object' && body !== null && 'csrfToken' in body && 'stage' in body;

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Tutela could not be reached. Check your connection and try again.');
  }
  lastContact = Date.now();
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    const err = (parsed ?? {}) as { error?: string; message?: string; details?: unknown };
    const id = err.error ?? (response.status === 404 ? 'not_found' : 'http_error');
    const failure = new ApiError(response.status, id, err.message ?? `The server answered ${response.status}.`, err.details);
    if (response.status === 401 && SESSION_PROBLEMS.has(id)) onSessionProblem?.(id as SessionProblem);
    throw failure;
  }
  // Every session view carries the current token; keeping it here means no caller can forget.
  if (isSessionView(parsed)) csrfToken = parsed.csrfToken;
  return parsed as T;
}

const get = <T>(path: string) => request<T>('GET', path);
const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const enc = encodeURIComponent;

export const api = {
  /** A server without first-run setup (404) is one that needs none. */
  setupNeeded: async (): Promise<boolean> => {
    try {
      return (await get<{ needed: boolean }>('/api/setup')).needed === true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return false;
      throw error;
    }
  },
  setup: (body: SetupInput) => post<{ ok: true; username: string }>('/api/setup', body),

  session: () => get<SessionView>('/api/auth/session'),
  signIn: (username: string, password: string) => post<SessionView>('/api/auth/sign-in', { username, password }),
  verifyTotp: (code: string) => post<SessionView>('/api/auth/totp/verify', { code }),
  enrolTotp: () => post<TotpEnrolment>('/api/auth/totp/enrol'),
  confirmTotp: (code: string) => post<SessionView>('/api/auth/totp/confirm', { code }),
  unlock: (password: string) => post<SessionView>('/api/auth/unlock', { password }),
  signOut: () => post<null>('/api/auth/sign-out'),
  changePassword: (currentPassword: string, newPassword: string) => post<null>('/api/auth/password', { currentPassword, newPassword }),
  /** No providers configured, or a server without single sign-on (404), both mean an empty list. */
  oidcProviders: async (): Promise<OidcProvider[]> => {
    try {
      const list = await get<OidcProvider[]>('/api/auth/oidc/providers');
      return Array.isArray(list) ? list : [];
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return [];
      throw error;
    }
  },

  me: () => get<Me>('/api/directory/me'),
  stats: (schoolId?: string) => get<DirectoryStats>(`/api/directory/stats${query({ schoolId })}`),
  people: (q: PeopleQuery) => get<Page<PersonSummary>>(`/api/directory/people${query({ ...q })}`),
  person: (id: string) => get<PersonDetail>(`/api/directory/people/${enc(id)}`),
  createPerson: (body: NewPerson) => post<PersonSummary>('/api/directory/people', body),
  /** The answer is the record without `can`, which only the GET works out. */
  updatePerson: (id: string, edit: PersonEdit) => patch<Omit<PersonDetail, 'can'>>(`/api/directory/people/${enc(id)}`, edit),
  setRoles: (id: string, roles: string[]) =>
    put<{ roles: string[]; added: string[]; removed: string[] }>(`/api/directory/people/${enc(id)}/roles`, { roles }),
  groups: (q: { kind?: string; q?: string; schoolId?: string } = {}) => get<GroupSummary[]>(`/api/directory/groups${query(q)}`),
  group: (id: string) => get<GroupDetail>(`/api/directory/groups/${enc(id)}`),
  createGroup: (body: NewGroup) => post<GroupSummary>('/api/directory/groups', body),
  changeMembers: (id: string, change: MembershipChange) => put<{ total: number }>(`/api/directory/groups/${enc(id)}/members`, change),
  archiveGroup: (id: string) => post<{ ok: true }>(`/api/directory/groups/${enc(id)}/archive`),
  schools: () => get<School[]>('/api/directory/schools'),
  createSchool: (body: { name: string; urn?: string; phase: SchoolPhase }) => post<School>('/api/directory/schools', body),

  users: (q?: string, schoolId?: string) => get<Account[]>(`/api/users${query({ q, schoolId })}`),
  createUser: (body: { personId: string; username: string; password?: string }) =>
    post<{ accountId: string; username: string; password: string }>('/api/users', body),
  resetPassword: (id: string) => post<{ username: string; password: string }>(`/api/users/${enc(id)}/reset-password`),
  userAction: (id: string, action: 'reset-totp' | 'disable' | 'enable' | 'unlock') => post<{ ok: true }>(`/api/users/${enc(id)}/${action}`),

  audit: (q: { action?: string; before?: number; limit?: number }) => get<AuditEntry[]>(`/api/audit${query(q)}`),
  verifyAudit: () => get<AuditVerification>('/api/audit/verify'),

  previewImport: (file: ImportFile) => post<ImportPreview>('/api/directory/imports/preview', file),
  runImport: (file: ImportFile, options: ImportOptions & { dryRun: boolean; schoolId?: string }) =>
    post<ImportReport>('/api/directory/imports', { ...file, ...options }),
  importRuns: (limit = 20, schoolId?: string) => get<ImportRun[]>(`/api/directory/imports${query({ limit, schoolId })}`),
};
