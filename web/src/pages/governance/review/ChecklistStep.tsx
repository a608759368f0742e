import { type FormEvent, useState } from 'react';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useChange } from '../../../components/hooks';
import { formatDate } from '../../../labels';
import { useMe } from '../../../session';
import {
  ANSWER_LABELS,
  ANSWER_STATUSES,
  type AnswerStatus,
  type ChecklistItemId,
  REVIEW_CHECKLIST,
} from '../../../../../src/review/checklist';
import { type ChecklistAnswer, reviewApi } from './reviewApi';
import type { StepProps } from './ReviewRecord';

type Draft = { status: AnswerStatus | ''; checkedBy: string; checkedOn: string; notes: string };

/** Each question of the guided checklist, answered with how far it is met, who checked it, when, and notes. */
export function ChecklistStep({ review, editable, onSaved }: StepProps) {
  const me = useMe();
  const today = new Date().toISOString().slice(0, 10);
  const mine = review.candidates.anyone.some((p) => p.id === me.personId) ? me.personId : '';
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() =>
    Object.fromEntries(
      REVIEW_CHECKLIST.map((item) => {
        const a = review.checklist[item.id];
        return [item.id, a ? { ...a } : { status: '', checkedBy: mine, checkedOn: today, notes: '' }];
      }),
    ),
  );
  const change = useChange();
  const set = (id: string, patch: Partial<Draft>) => setDrafts({ ...drafts, [id]: { ...drafts[id]!, ...patch } });
  const save = (event: FormEvent) => {
    event.preventDefault();
    const checklist: Partial<Record<ChecklistItemId, ChecklistAnswer | null>> = {};
    for (const item of REVIEW_CHECKLIST) {
      const d = drafts[item.id]!;
      if (d.status) checklist[item.id] = { status: d.status, checkedBy: d.checkedBy, checkedOn: d.checkedOn, notes: d.notes };
      else if (review.checklist[item.id]) checklist[item.id] = null;
    }
    void change.run(async () => onSaved(await reviewApi.update(review.id, { checklist })), 'Checklist saved');
  };
  const answered = REVIEW_CHECKLIST.filter((i) => review.checklist[i.id]).length;
  return (
    <form className="review-form" onSubmit={save}>
      <p>
        {answered} of {REVIEW_CHECKLIST.length} answered.
      </p>
      <ol className="review-checklist">
        {REVIEW_CHECKLIST.map((item) => {
          const d = drafts[item.id]!;
          const stored = review.checklist[item.id];
          return (
            <li key={item.id}>
              <fieldset>
                <legend>
                  <span className="review-section">{item.section}</span> {item.question}
                </legend>
                {editable ? (
                  <div className="review-answer">
                    <div className="field">
                      <label htmlFor={`${item.id}-status`}>Answer</label>
                      <select
                        id={`${item.id}-status`}
                        value={d.status}
                        onChange={(e) => set(item.id, { status: e.target.value as AnswerStatus | '' })}
                      >
                        <option value="">Not answered</option>
                        {ANSWER_STATUSES.map((s) => (
                          <option key={s} value={s}>
                            {ANSWER_LABELS[s]}
                          </option>
                        ))}
                      </select>
                    </div>
                    <div className="field">
                      <label htmlFor={`${item.id}-by`}>Checked by</label>
                      <select id={`${item.id}-by`} value={d.checkedBy} onChange={(e) => set(item.id, { checkedBy: e.target.value })}>
                        <option value="">Choose…</option>
                        {review.candidates.anyone.map((p) => (
                          <option key={p.id} value={p.id}>
                            {p.name}
                          </option>
                        ))}
                      </select>
                    </div>
                    <div className="field">
                      <label htmlFor={`${item.id}-on`}>Checked on</label>
                      <input
                        id={`${item.id}-on`}
                        type="date"
                        value={d.checkedOn}
                        onChange={(e) => set(item.id, { checkedOn: e.target.value })}
                      />
                    </div>
                    <div className="field review-notes">
                      <label htmlFor={`${item.id}-notes`}>Notes</label>
                      <textarea
                        id={`${item.id}-notes`}
                        rows={2}
                        maxLength={4000}
                        value={d.notes}
                        onChange={(e) => set(item.id, { notes: e.target.value })}
                      />
                    </div>
                  </div>
                ) : (
                  <p>
                    {stored
                      ? `${ANSWER_LABELS[stored.status]} · checked by ${stored.checkedByName} on ${formatDate(stored.checkedOn)}${stored.notes ? ` · ${stored.notes}` : ''}`
                      : 'Not answered'}
                  </p>
                )}
              </fieldset>
            </li>
          );
        })}
      </ol>
      {editable && (
        <>
          <ErrorNotice error={change.error} action="save the checklist" />
          <button type="submit" disabled={change.busy}>
            Save checklist
          </button>
        </>
      )}
    </form>
  );
}
