/**
 * Every error a client can see: an HTTP status and a stable machine id. Clients and tests
 * match on `id`; `message` is for people and may change.
 *
 * @example
 *   throw new AppError('forbidden', 'Only the DSL can read this record');
 */
export const ERRORS = {
  bad_request: 400,
  validation_failed: 400,
  invalid_csv: 422,
  unauthenticated: 401,
  session_locked: 401,
  totp_required: 401,
  totp_enrolment_required: 401,
  invalid_credentials: 401,
  invalid_totp: 401,
  csrf_failed: 403,
  forbidden: 403,
  account_disabled: 403,
  account_expired: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  account_locked: 423,
  rate_limited: 429,
  'filter.reason_required': 400,
  'filter.locked': 403,
  'filter.invalid_target': 400,
  'filter.list_import_failed': 422,
  /** An evidence file refused for what it is, e.g. an image on a suspected child-abuse-imagery incident. */
  'incident.evidence_refused': 422,
  /** An investigation cannot be concluded yet, e.g. fewer than two senior staff took part. */
  'incident.not_ready': 409,
  /** An archived incident is kept as it was: no new actions, entries or evidence. */
  'incident.archived': 409,
  /** A capture API request without a valid, unrevoked source key. */
  'monitor.invalid_key': 401,
  /** Monitoring is writing as fast as it can; the sender should retry after the Retry-After header. */
  'monitor.busy': 503,
  /** A keyword library CSV or entry that cannot be used; the message names the row and the problem. */
  'monitor.invalid_library': 422,
  /** The alert was already escalated, or closed, so this change no longer applies. */
  'monitor.alert_resolved': 409,
  /** The person must accept the current acceptable-use agreement before using the system. */
  'agreement.required': 403,
  internal: 500,
  not_ready: 503,
} as const;

export type ErrorId = keyof typeof ERRORS;

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;

  constructor(
    readonly id: ErrorId,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = ERRORS[id];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do that') => new AppError('forbidden', message);
