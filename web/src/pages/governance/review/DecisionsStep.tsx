import { type FormEvent, useState } from 'react';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useChange } from '../../../components/hooks';
import { TableWrap } from '../../../components/TableWrap';
import { formatDate } from '../../../labels';
import { type ReviewAction, reviewApi } from './reviewApi';
import type { StepProps } from './ReviewRecord';

/** An action being edited, with a key that stays with it when an earlier one is removed. */
type Draft = ReviewAction & { key: number };
let nextKey = 0;
const draft = (a: ReviewAction): Draft => ({ what: a.what, ownerId: a.ownerId, due: a.due, key: nextKey++ });

/** What the review decided, and the actions agreed, each with an owner and a due date. */
export function DecisionsStep({ review, editable, onSaved }: StepProps) {
  const [decisions, setDecisions] = useState(review.decisions);
  const [actions, setActions] = useState<Draft[]>(() => review.actions.map(draft));
  const change = useChange();
  const set = (i: number, patch: Partial<ReviewAction>) => setActions(actions.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  const save = (event: FormEvent) => {
    event.preventDefault();
    void change.run(
      async () => onSaved(await reviewApi.update(review.id, { decisions, actions: actions.map(({ key: _key, ...a }) => a) })),
      'Decisions and actions saved',
    );
  };
  if (!editable)
    return (
      <>
        <h3>Decisions</h3>
        <p className="review-decisions">{review.decisions || 'None recorded.'}</p>
        <TableWrap label="Actions">
          <table>
            <caption>Actions</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {review.actions.map((a) => (
                <tr key={`${a.what}|${a.ownerId}|${a.due}`}>
                  <th scope="row">{a.what}</th>
                  <td>{a.ownerName}</td>
                  <td>{formatDate(a.due)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        {review.actions.length === 0 && <p>No actions.</p>}
      </>
    );
  return (
    <form className="stack review-form" onSubmit={save}>
      <div className="field">
        <label htmlFor="review-decisions">Decisions: what is blocked or allowed and why, and what changes</label>
        <textarea id="review-decisions" rows={6} maxLength={20000} value={decisions} onChange={(e) => setDecisions(e.target.value)} />
      </div>
      <fieldset className="review-actions">
        <legend>Actions</legend>
        {actions.map((a, i) => (
          <div className="review-action" key={a.key}>
            <div className="field">
              <label htmlFor={`action-${i}-what`}>Action {i + 1}</label>
              <input id={`action-${i}-what`} value={a.what} maxLength={1000} onChange={(e) => set(i, { what: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`action-${i}-owner`}>Owner</label>
              <select id={`action-${i}-owner`} value={a.ownerId} onChange={(e) => set(i, { ownerId: e.target.value })}>
                <option value="">Choose…</option>
                {review.candidates.anyone.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`action-${i}-due`}>Due</label>
              <input id={`action-${i}-due`} type="date" value={a.due} onChange={(e) => set(i, { due: e.target.value })} />
            </div>
            <button type="button" className="secondary" onClick={() => setActions(actions.filter((_, j) => j !== i))}>
              Remove action {i + 1}
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => setActions([...actions, draft({ what: '', ownerId: '', due: '' })])}>
          Add an action
        </button>
      </fieldset>
      <ErrorNotice error={change.error} action="save the decisions and actions" />
      <button type="submit" disabled={change.busy}>
        Save decisions and actions
      </button>
    </form>
  );
}
