import type { CheckResult, CheckRun, ReviewDetail, ReviewEdit, ReviewList, ReviewReason } from '../../../../../src/review/wire';
import { RULES } from '../../../../../src/access/policy';
import { request } from '../../../api';

export type * from '../../../../../src/review/wire';

const at = (id: string, suffix = '') => `/api/reviews/${encodeURIComponent(id)}${suffix}`;

export const reviewApi = {
  list: () => request<ReviewList>('GET', '/api/reviews'),
  start: (title: string, reason: ReviewReason) => request<ReviewDetail>('POST', '/api/reviews', { title, reason }),
  get: (id: string) => request<ReviewDetail>('GET', at(id)),
  update: (id: string, edit: ReviewEdit) => request<ReviewDetail>('PATCH', at(id), edit),
  runChecks: (id: string) => request<CheckRun & { failures: CheckResult[] }>('POST', at(id, '/checks'), {}),
  signOff: (id: string, note: string) => request<ReviewDetail>('POST', at(id, '/sign-off'), { note }),
  pdfUrl: (id: string) => at(id, '/document.pdf'),
  htmlUrl: (id: string) => at(id, '/document.html'),
};

/** Whether the person's roles pass a review rule; the server still decides every request. */
export const canDo = (roles: readonly string[], rule: 'review.manage' | 'review.signoff') =>
  (RULES[rule].roles as readonly string[]).some((r) => roles.includes(r));
