import { type FormEvent, useState } from 'react';
import { Link, Route, Routes, useNavigate } from 'react-router-dom';
import { Badge } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi, useSubmit } from '../../components/hooks';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { dayText } from '../../../../src/export/dates';
import { formatDate } from '../../labels';
import { useMe } from '../../session';
import { REASON_LABELS, REVIEW_REASONS, type ReviewReason } from '../../../../src/review/checklist';
import { ReviewRecord } from './review/ReviewRecord';
import { canDo, reviewApi } from './review/reviewApi';
import './review/review.css';

/** The annual filtering and monitoring review: the list of reviews, and each review's guided record. */
export function Review() {
  return (
    <Routes>
      <Route index element={<ReviewList />} />
      <Route path=":id" element={<ReviewRecord />} />
    </Routes>
  );
}

/** "Annual review 2026-27" for a review started in the school year that begins in September. */
function defaultTitle(now = new Date()): string {
  const start = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  return `Annual review ${start}-${String(start + 1).slice(2)}`;
}

function ReviewList() {
  const me = useMe();
  const list = useApi(() => reviewApi.list(), []);
  const canManage = canDo(me.roles, 'review.manage');
  const due = list.data?.nextDue;
  const overdue = due ? due < new Date().toISOString().slice(0, 10) : false;
  return (
    <Page
      title="Filtering and monitoring review"
      lead="The DfE standards ask for a review at least once a year, and again after an incident, a new technology or a configuration change."
    >
      <ErrorNotice error={list.error} action="see the reviews" />
      {list.loading && !list.data && <p role="status">Loading reviews…</p>}
      {list.data && (
        <>
          <p className="review-next-due">
            {due ? (
              <>
                Next review due: <strong>{dayText(due)}</strong> {overdue && <Badge tone="bad">Overdue</Badge>}
              </>
            ) : (
              'No review has been signed off yet, so one is due now.'
            )}
          </p>
          {list.data.reviews.length === 0 ? (
            <p>No reviews yet.</p>
          ) : (
            <TableWrap label="Reviews">
              <table>
                <caption>Reviews</caption>
                <thead>
                  <tr>
                    <th scope="col">Review</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Started</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.reviews.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        <Link to={r.id}>{r.title}</Link>
                      </th>
                      <td>{REASON_LABELS[r.reason]}</td>
                      <td>{formatDate(r.startedAt)}</td>
                      <td>
                        {r.status === 'signed_off' ? (
                          <Badge tone="good">{`Signed off ${formatDate(r.signedOffAt)}${r.signedOffByName ? ` by ${r.signedOffByName}` : ''}`}</Badge>
                        ) : (
                          <Badge tone="warn">Open</Badge>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </>
      )}
      {canManage && <StartReview />}
    </Page>
  );
}

function StartReview() {
  const navigate = useNavigate();
  const [title, setTitle] = useState(defaultTitle());
  const [reason, setReason] = useState<ReviewReason>('annual');
  const start = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void start.run(async () => {
      const review = await reviewApi.start(title, reason);
      navigate(review.id);
    });
  };
  return (
    <section aria-labelledby="review-start">
      <h2 id="review-start">Start a review</h2>
      <form className="stack review-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="review-title">Title</label>
          <input id="review-title" value={title} maxLength={200} required onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="review-reason">Reason</label>
          <select id="review-reason" value={reason} onChange={(e) => setReason(e.target.value as ReviewReason)}>
            {REVIEW_REASONS.map((r) => (
              <option key={r} value={r}>
                {REASON_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <ErrorNotice error={start.error} action="start a review" />
        <button type="submit" disabled={start.busy}>
          Start review
        </button>
      </form>
    </section>
  );
}
