import { type FormEvent, useState } from 'react';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useChange } from '../../../components/hooks';
import { formatDateTime } from '../../../labels';
import { reviewApi } from './reviewApi';
import type { StepProps } from './ReviewRecord';

/** Sign-off by the head or a governor, once the record is complete; after it the review never changes. */
export function SignOffStep({ review, onSaved, canSign }: StepProps & { canSign: boolean }) {
  const [note, setNote] = useState('');
  const change = useChange();
  if (review.signOff)
    return (
      <dl className="review-facts">
        <div>
          <dt>Signed off by</dt>
          <dd>{review.signOff.by.name}</dd>
        </div>
        <div>
          <dt>On</dt>
          <dd>{formatDateTime(review.signOff.at)}</dd>
        </div>
        <div>
          <dt>Note</dt>
          <dd>{review.signOff.note || '—'}</dd>
        </div>
      </dl>
    );
  const sign = (event: FormEvent) => {
    event.preventDefault();
    void change.run(async () => onSaved(await reviewApi.signOff(review.id, note)), 'Review signed off');
  };
  return (
    <>
      {review.missing.length > 0 ? (
        <div className="notice">
          <p>Before it can be signed off:</p>
          <ul>
            {review.missing.map((m) => (
              <li key={m}>{m.replace(/^\w/, (c) => c.toUpperCase())}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p>The record is complete and ready to be signed off.</p>
      )}
      {canSign ? (
        <form className="stack review-form" onSubmit={sign}>
          <div className="field">
            <label htmlFor="review-signoff-note">Sign-off note (e.g. the meeting it was reviewed at)</label>
            <textarea id="review-signoff-note" rows={3} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <ErrorNotice error={change.error} action="sign off the review" />
          <button type="submit" disabled={change.busy || review.missing.length > 0}>
            Sign off the review
          </button>
        </form>
      ) : (
        <p>The headteacher or a governor signs the review off.</p>
      )}
    </>
  );
}
