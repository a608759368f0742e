import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Badge } from '../../../components/Badge';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useApi } from '../../../components/hooks';
import { Page } from '../../../components/Page';
import { formatDate } from '../../../labels';
import { useMe } from '../../../session';
import { REASON_LABELS } from '../../../../../src/review/checklist';
import { ChecksStep } from './ChecksStep';
import { ChecklistStep } from './ChecklistStep';
import { DecisionsStep } from './DecisionsStep';
import { PeopleStep } from './PeopleStep';
import { canDo, type ReviewDetail, reviewApi } from './reviewApi';
import { SignOffStep } from './SignOffStep';

const STEPS = [
  { id: 'people', label: 'People' },
  { id: 'checklist', label: 'Checklist' },
  { id: 'checks', label: 'Automatic checks' },
  { id: 'decisions', label: 'Decisions and actions' },
  { id: 'sign-off', label: 'Sign-off' },
] as const;
type StepId = (typeof STEPS)[number]['id'];

/** Props every step gets: the record, whether it may change, and how to hand back a saved record. */
export interface StepProps {
  review: ReviewDetail;
  editable: boolean;
  onSaved: (review: ReviewDetail) => void;
}

/** One review as a step-through form: people, checklist, automatic checks, decisions and actions, sign-off. */
export function ReviewRecord() {
  const { id = '' } = useParams();
  const me = useMe();
  const loaded = useApi(() => reviewApi.get(id), [id]);
  const [review, setReview] = useState<ReviewDetail | undefined>(undefined);
  const [step, setStep] = useState<StepId>('people');
  useEffect(() => setReview(loaded.data), [loaded.data]);

  if (!review)
    return (
      <Page title="Filtering and monitoring review">
        <ErrorNotice error={loaded.error} action="see this review" />
        {loaded.loading && <p role="status">Loading the review…</p>}
      </Page>
    );
  const signed = review.status === 'signed_off';
  const editable = !signed && canDo(me.roles, 'review.manage');
  const props: StepProps = { review, editable, onSaved: setReview };
  const index = STEPS.findIndex((s) => s.id === step);
  return (
    <Page title={review.title} lead={`${REASON_LABELS[review.reason]} · started ${formatDate(review.startedAt)}`}>
      <p className="button-row">
        <Link to="..">All reviews</Link>
        {signed ? <Badge tone="good">{`Signed off ${formatDate(review.signOff?.at)}`}</Badge> : <Badge tone="warn">Open</Badge>}
        <a href={reviewApi.pdfUrl(review.id)}>Download PDF</a>
        <a href={reviewApi.htmlUrl(review.id)} target="_blank" rel="noreferrer">
          Printable page
        </a>
      </p>
      {signed && <p className="notice">This review has been signed off. It is kept as it was signed and can no longer change.</p>}
      <nav aria-label="Review steps">
        <ol className="review-steps">
          {STEPS.map((s, i) => (
            <li key={s.id}>
              <button
                type="button"
                className={s.id === step ? '' : 'secondary'}
                aria-current={s.id === step ? 'step' : undefined}
                onClick={() => setStep(s.id)}
              >
                {i + 1}. {s.label}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <section aria-labelledby="review-step" className="review-step">
        <h2 id="review-step">{STEPS[index]!.label}</h2>
        {step === 'people' && <PeopleStep {...props} />}
        {step === 'checklist' && <ChecklistStep {...props} />}
        {step === 'checks' && <ChecksStep {...props} />}
        {step === 'decisions' && <DecisionsStep {...props} />}
        {step === 'sign-off' && <SignOffStep {...props} canSign={!signed && canDo(me.roles, 'review.signoff')} />}
      </section>
      <div className="button-row">
        {index > 0 && (
          <button type="button" className="secondary" onClick={() => setStep(STEPS[index - 1]!.id)}>
            Back
          </button>
        )}
        {index < STEPS.length - 1 && (
          <button type="button" className="secondary" onClick={() => setStep(STEPS[index + 1]!.id)}>
            Next: {STEPS[index + 1]!.label}
          </button>
        )}
      </div>
    </Page>
  );
}
