import type {
  Account,
  ActivityPage,
  AppNotification,
  BlockInfo,
  FilterCalendar,
  FilterCategory,
  FilterChange,
  FilterChangeQuery,
  FilterAssignment,
  FilterDevice,
  FilterException,
  FilterImportRecord,
  FilterImportReport,
  FilterListEntry,
  FilterLists,
  FilterProfile,
  FilterReport,
  FilterSanction,
  FilterScope,
  FilterSettings,
  FilterSubnet,
  FilterTestResult,
  FilterTimeWindow,
  MatrixCell,
  NewFilterListEntry,
  NewFilterProfile,
  NewFilterReport,
  NewUnblockRequest,
  UnblockRequest,
  AuditEntry,
  AuditVerification,
  DirectoryStats,
  GroupDetail,
  GroupSummary,
  IncidentAction,
  IncidentDetail,
  IncidentMatrixRow,
  IncidentReader,
  IncidentSubjectKind,
  IncidentSuggestion,
  NewParentContact,
  ParentLetter,
  ResponderDashboard,
  IncidentEntry,
  IncidentGuardian,
  IncidentPersonOption,
  IncidentSummary,
  NewIncident,
  NewStudentReport,
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

export function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  if (body === undefined) return send<T>(method, path, undefined, {});
  return send<T>(method, path, JSON.stringify(body), { 'content-type': 'application/json' });
}

/**
 * Sends a file's raw bytes as the body (its media type as content-type). Extra headers carry
 * what JSON would have, e.g. the URI-encoded file name.
 */
export function upload<T>(path: string, file: Blob, headers: Record<string, string>): Promise<T> {
  return send<T>('POST', path, file, { 'content-type': file.type || 'application/octet-stream', ...headers });
}

/** One round trip: the CSRF token on writes, errors as ApiError, session problems reported once. */
async function send<T>(method: string, path: string, body: BodyInit | undefined, extra: Record<string, string>): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extra };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', body });
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
    const fallback = response.status === 404 ? 'not_found' : response.status === 413 ? 'payload_too_large' : 'http_error';
    const id = err.error ?? fallback;
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

  /** The signed-in person's own notifications, unread first. */
  notifications: (limit?: number) => get<AppNotification[]>(`/api/notifications${query({ limit })}`),
  markNotificationRead: (id: string) => post<AppNotification>(`/api/notifications/${enc(id)}/read`, {}),
};

/** The incident log: every read of one incident is audited by the server. */
export const incidentApi = {
  people: (q: string) => get<IncidentPersonOption[]>(`/api/incidents/people${query({ q })}`),
  create: (body: NewIncident) => post<IncidentSummary>('/api/incidents', body),
  studentReport: (body: NewStudentReport) => post<{ reference: string }>('/api/incidents/student-report', body),
  list: (q: { status?: 'open' | 'closed'; mine?: boolean } = {}) =>
    get<IncidentSummary[]>(`/api/incidents${query({ status: q.status, mine: q.mine ? 1 : undefined })}`),
  get: (id: string) => get<IncidentDetail>(`/api/incidents/${enc(id)}`),
  addEntry: (id: string, body: { kind: 'correction' | 'note'; body: string }) =>
    post<IncidentEntry>(`/api/incidents/${enc(id)}/entries`, body),
  dashboard: () => get<ResponderDashboard>('/api/incidents/dashboard'),
  matrix: (audience: IncidentSubjectKind) => get<IncidentMatrixRow[]>(`/api/incidents/matrix${query({ audience })}`),
  suggestions: (id: string, incidentType: string) =>
    get<IncidentSuggestion>(`/api/incidents/${enc(id)}/suggestions${query({ incidentType })}`),
  triage: (id: string, incidentType: string) =>
    post<{ suggestion: IncidentSuggestion; actions: IncidentAction[] }>(`/api/incidents/${enc(id)}/triage`, { incidentType }),
  updateAction: (id: string, actionId: string, body: { status: IncidentAction['status']; note?: string; sanctionUntil?: string }) =>
    put<unknown>(`/api/incidents/${enc(id)}/actions/${enc(actionId)}`, body),
  parentsInformed: (id: string, body: NewParentContact) => post<unknown>(`/api/incidents/${enc(id)}/parents-informed`, body),
  guardians: (id: string, studentId: string) => get<IncidentGuardian[]>(`/api/incidents/${enc(id)}/guardians${query({ studentId })}`),
  parentLetter: (id: string, studentId: string) => get<ParentLetter>(`/api/incidents/${enc(id)}/parent-letter${query({ studentId })}`),
  close: (id: string, outcome: string) => post<{ id: string; status: 'closed' }>(`/api/incidents/${enc(id)}/close`, { outcome }),
  readers: (id: string) => get<IncidentReader[]>(`/api/incidents/${enc(id)}/readers`),
};

/** Every change to the filter carries a reason, which goes to the change-control log. */
type Reasoned<T = object> = T & { reason: string };

/**
 * The filtering API for one school: a trust administrator passes the school chosen in the
 * header, everyone else passes undefined and the server uses their own school.
 */
export function filterApi(schoolId?: string) {
  const at = (path: string, params: Record<string, string | number | undefined | null> = {}) =>
    `/api/filter${path}${query({ ...params, schoolId })}`;
  return {
    categories: () => get<FilterCategory[]>(at('/categories')),
    // The category lists are the installation's, not a school's: no schoolId.
    lists: () => get<FilterLists>('/api/filter/lists'),
    importLists: (reason: string, source?: string) => post<FilterImportReport>('/api/filter/lists/import', { reason, source }),
    imports: () => get<FilterImportRecord[]>('/api/filter/lists/imports'),

    profiles: () => get<FilterProfile[]>(at('/profiles')),
    createProfile: (body: NewFilterProfile) => post<FilterProfile>(at('/profiles'), body),
    updateProfile: (id: string, body: Reasoned<{ name?: string; defaultAction?: 'allow' | 'block' }>) =>
      put<FilterProfile>(at(`/profiles/${enc(id)}`), body),
    setCell: (id: string, category: string, cell: Reasoned<MatrixCell>) =>
      put<FilterProfile>(at(`/profiles/${enc(id)}/matrix/${enc(category)}`), cell),

    assignments: () => get<FilterAssignment[]>(at('/assignments')),
    /** `profileId: null` removes the explicit profile; the answer is then null too. */
    setAssignment: (body: Reasoned<{ subjectKind: 'group' | 'person'; subjectId: string; profileId: string | null }>) =>
      put<{ assignment: FilterAssignment | null }>(at('/assignments'), body),

    settings: () => get<FilterSettings>(at('/settings')),
    updateSettings: (body: Reasoned<{ timeZone?: string; fallbackProfileId?: string | null; alertingCategories?: string[] }>) =>
      put<FilterSettings>(at('/settings'), body),

    calendar: () => get<FilterCalendar>(at('/calendar')),
    setWindows: (windows: FilterTimeWindow[], reason: string) =>
      put<FilterCalendar>(at('/calendar/windows'), {
        windows: windows.map(({ kind, days, startMinute, endMinute }) => ({ kind, days, startMinute, endMinute })),
        reason,
      }),
    addHoliday: (body: Reasoned<{ name: string; from: string; to: string }>) => post<unknown>(at('/calendar/holidays'), body),
    deleteHoliday: (id: string, reason: string) => post<unknown>(at(`/calendar/holidays/${enc(id)}/delete`), { reason }),

    listEntries: (scope?: FilterScope, scopeId?: string) => get<FilterListEntry[]>(at('/list-entries', { scope, scopeId })),
    addListEntry: (body: NewFilterListEntry) => post<FilterListEntry>(at('/list-entries'), body),
    deleteListEntry: (id: string, reason: string) => post<unknown>(at(`/list-entries/${enc(id)}/delete`), { reason }),

    exceptions: () => get<FilterException[]>(at('/exceptions')),
    revokeException: (id: string, reason: string) => post<unknown>(at(`/exceptions/${enc(id)}/revoke`), { reason }),

    sanctions: () => get<FilterSanction[]>(at('/sanctions')),
    addSanction: (body: Reasoned<{ personId: string; from: string; until: string; stillAllowed?: string[] }>) =>
      post<FilterSanction>(at('/sanctions'), body),
    liftSanction: (id: string, reason: string) => post<unknown>(at(`/sanctions/${enc(id)}/lift`), { reason }),

    devices: () => get<FilterDevice[]>(at('/devices')),
    addDevice: (body: Reasoned<{ name: string; address: string; mac?: string; personId?: string; profileId?: string }>) =>
      post<FilterDevice>(at('/devices'), body),
    deleteDevice: (id: string, reason: string) => post<unknown>(at(`/devices/${enc(id)}/delete`), { reason }),
    subnets: () => get<FilterSubnet[]>(at('/subnets')),
    addSubnet: (body: Reasoned<{ name: string; cidr: string; profileId: string }>) => post<FilterSubnet>(at('/subnets'), body),
    deleteSubnet: (id: string, reason: string) => post<unknown>(at(`/subnets/${enc(id)}/delete`), { reason }),

    changes: (q: FilterChangeQuery) => get<FilterChange[]>(at('/changes', { ...q })),
    /** A plain link, so the browser downloads the file with the session cookie. */
    changesCsvUrl: (q: FilterChangeQuery) => at('/changes.csv', { ...q, limit: undefined }),

    unblockRequests: (status?: string) => get<UnblockRequest[]>(at('/unblock-requests', { status })),
    requestUnblock: (body: NewUnblockRequest) => post<UnblockRequest>(at('/unblock-requests'), body),
    approveUnblock: (id: string, note?: string) => post<UnblockRequest>(at(`/unblock-requests/${enc(id)}/approve`), { note }),
    rejectUnblock: (id: string, note: string) => post<UnblockRequest>(at(`/unblock-requests/${enc(id)}/reject`), { note }),
    withdrawUnblock: (id: string) => post<UnblockRequest>(at(`/unblock-requests/${enc(id)}/withdraw`), {}),

    reports: (status?: string) => get<FilterReport[]>(at('/reports', { status })),
    resolveReport: (id: string, status: 'resolved' | 'dismissed', note: string) =>
      post<FilterReport>(at(`/reports/${enc(id)}/resolve`), { status, note }),

    test: (q: { target: string; personId?: string; username?: string; at?: string }) => get<FilterTestResult>(at('/test', { ...q })),
    activity: (q: { after?: string | null; limit?: number; personId?: string; action?: string }) =>
      get<ActivityPage>(at('/activity', { ...q })),
  };
}

export type FilterApi = ReturnType<typeof filterApi>;

/** The block page's calls: public, no school to choose. */
export const blockPageApi = {
  info: (target: string, token: string | null) => get<BlockInfo>(`/api/filter/block-info${query({ target, token })}`),
  report: (body: NewFilterReport) => post<FilterReport>('/api/filter/reports', body),
  signIn: (username: string, password: string) =>
    post<{ person: { name: string }; until: string }>('/api/filter/block-page/sign-in', { username, password }),
};
