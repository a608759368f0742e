import { type FormEvent, useRef, useState } from 'react';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useChange } from '../../../components/hooks';
import { TableWrap } from '../../../components/TableWrap';
import {
  COMMUNICATION_LEVEL_NAMES,
  type CommunicationRow,
  policyApi,
  STAFF_COMMUNICATION_LEVELS,
  STUDENT_COMMUNICATION_LEVELS,
} from './policyApi';

const MAX_ROWS = 50;

/** A row being edited, with a key of its own: labels change as they are typed, and may repeat until saved. */
type EditRow = CommunicationRow & { key: number };

/** The communication technologies table for staff and for students; the head edits it here. */
export function Communications({ rows, canManage, onSaved }: { rows: CommunicationRow[]; canManage: boolean; onSaved: () => void }) {
  const [editing, setEditing] = useState<EditRow[] | null>(null);
  const nextKey = useRef(0);
  const keyed = (row: CommunicationRow): EditRow => ({ ...row, key: nextKey.current++ });
  const { busy, error, run } = useChange();
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    void run(async () => {
      await policyApi.saveCommunications(editing.map(({ key: _key, ...row }) => row));
      setEditing(null);
      onSaved();
    }, 'Communication technologies table saved.');
  };
  const change = (i: number, patch: Partial<CommunicationRow>) =>
    setEditing((e) => (e ? e.map((r, j) => (j === i ? { ...r, ...patch } : r)) : e));
  return (
    <section aria-labelledby="communications-heading">
      <h2 id="communications-heading">Communication technologies</h2>
      <p className="hint">
        {Object.entries(COMMUNICATION_LEVEL_NAMES)
          .map(([mark, name]) => `${mark} = ${name}`)
          .join('; ')}
        .
      </p>
      {editing === null ? (
        <>
          <TableWrap label="Communication technologies">
            <table className="compact-table policy-marks">
              <thead>
                <tr>
                  <th scope="col">Communication technologies</th>
                  <th scope="col">Staff and other adults</th>
                  <th scope="col">Students</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.label}>
                    <th scope="row">{r.label}</th>
                    <td title={COMMUNICATION_LEVEL_NAMES[r.staff]}>{r.staff}</td>
                    <td title={COMMUNICATION_LEVEL_NAMES[r.students]}>{r.students}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {canManage && (
            <div className="button-row">
              <button type="button" onClick={() => setEditing(rows.map(keyed))}>
                Edit this table
              </button>
            </div>
          )}
        </>
      ) : (
        <form className="stack policy-comms-form" aria-label="Edit the communication technologies table" onSubmit={save}>
          <ol className="policy-comms-rows">
            {editing.map((r, i) => (
              <li key={r.key}>
                <fieldset>
                  <legend className="visually-hidden">Row {i + 1}</legend>
                  <div className="field">
                    <label htmlFor={`comms-label-${r.key}`}>Technology or use</label>
                    <input
                      id={`comms-label-${r.key}`}
                      value={r.label}
                      onChange={(e) => change(i, { label: e.target.value })}
                      required
                      maxLength={200}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`comms-staff-${r.key}`}>Staff and other adults</label>
                    <select
                      id={`comms-staff-${r.key}`}
                      value={r.staff}
                      onChange={(e) => change(i, { staff: e.target.value as CommunicationRow['staff'] })}
                    >
                      {STAFF_COMMUNICATION_LEVELS.map((l) => (
                        <option key={l} value={l}>
                          {COMMUNICATION_LEVEL_NAMES[l]}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`comms-students-${r.key}`}>Students</label>
                    <select
                      id={`comms-students-${r.key}`}
                      value={r.students}
                      onChange={(e) => change(i, { students: e.target.value as CommunicationRow['students'] })}
                    >
                      {STUDENT_COMMUNICATION_LEVELS.map((l) => (
                        <option key={l} value={l}>
                          {COMMUNICATION_LEVEL_NAMES[l]}
                        </option>
                      ))}
                    </select>
                  </div>
                  <button type="button" className="link-button" onClick={() => setEditing(editing.filter((_, j) => j !== i))}>
                    Remove “{r.label || `row ${i + 1}`}”
                  </button>
                </fieldset>
              </li>
            ))}
          </ol>
          <ErrorNotice error={error} action="change the communication technologies table" />
          <div className="button-row">
            <button
              type="button"
              disabled={editing.length >= MAX_ROWS}
              onClick={() => setEditing([...editing, keyed({ label: '', staff: 'NA', students: 'NA' })])}
            >
              Add a row
            </button>
            <button type="submit" disabled={busy}>
              Save table
            </button>
            <button type="button" className="link-button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
