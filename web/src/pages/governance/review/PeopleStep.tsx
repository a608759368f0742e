import { type FormEvent, useState } from 'react';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useChange } from '../../../components/hooks';
import { REVIEW_SLOTS, type ReviewSlot, SLOT_LABELS } from '../../../../../src/review/checklist';
import { reviewApi } from './reviewApi';
import type { StepProps } from './ReviewRecord';

/** The four people the standards ask a school to name, each chosen from those who may fill the slot. */
export function PeopleStep({ review, editable, onSaved }: StepProps) {
  const [chosen, setChosen] = useState<Record<ReviewSlot, string>>(
    () => Object.fromEntries(REVIEW_SLOTS.map((s) => [s, review.people[s]?.id ?? ''])) as Record<ReviewSlot, string>,
  );
  const change = useChange();
  const save = (event: FormEvent) => {
    event.preventDefault();
    const people = Object.fromEntries(REVIEW_SLOTS.map((s) => [s, chosen[s] || null]));
    void change.run(async () => onSaved(await reviewApi.update(review.id, { people })), 'People saved');
  };
  if (!editable)
    return (
      <dl className="review-facts">
        {REVIEW_SLOTS.map((s) => (
          <div key={s}>
            <dt>{SLOT_LABELS[s]}</dt>
            <dd>{review.people[s]?.name ?? 'Not named'}</dd>
          </div>
        ))}
      </dl>
    );
  return (
    <form className="stack review-form" onSubmit={save}>
      {REVIEW_SLOTS.map((s) => (
        <div className="field" key={s}>
          <label htmlFor={`review-${s}`}>{SLOT_LABELS[s]}</label>
          <select id={`review-${s}`} value={chosen[s]} onChange={(e) => setChosen({ ...chosen, [s]: e.target.value })}>
            <option value="">Not named yet</option>
            {review.candidates[s].map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      ))}
      <ErrorNotice error={change.error} action="name the people" />
      <button type="submit" disabled={change.busy}>
        Save people
      </button>
    </form>
  );
}
