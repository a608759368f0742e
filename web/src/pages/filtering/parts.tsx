import { useId, useMemo, useState, type ReactNode } from 'react';
import { api, filterApi, type FilterApi } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TableWrap } from '../../components/TableWrap';
import { useApi, useChange, useDebounced } from '../../components/hooks';

// Filtering's screens took this from here before it was shared; they still may.
export { useChange } from '../../components/hooks';
import { useSchool } from '../../school';
import type { PersonSummary } from '../../types';

/** The filtering API for the school in view (a trust administrator's choice, else their own). */
export function useFilterApi(): FilterApi {
  const { schoolId } = useSchool();
  return useMemo(() => filterApi(schoolId), [schoolId]);
}

/** The reason every change needs; it goes into the change-control log that governors read. */
export function ReasonField({
  value,
  onChange,
  id,
  label = 'Reason for the change',
}: {
  value: string;
  onChange: (value: string) => void;
  id?: string;
  label?: string;
}) {
  const own = useId();
  const fieldId = id ?? own;
  return (
    <div className="field">
      <label htmlFor={fieldId}>
        {label} <span className="required">(required)</span>
      </label>
      <span className="hint" id={`${fieldId}-hint`}>
        Kept in the change-control log with your name and the time.
      </span>
      <input
        id={fieldId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
        aria-describedby={`${fieldId}-hint`}
        autoComplete="off"
      />
    </div>
  );
}

/** A remove (or revoke, or lift) button that first asks for the reason, in place. */
export function RemoveWithReason({
  what,
  verb = 'Remove',
  onConfirm,
}: {
  what: string;
  verb?: string;
  onConfirm: (reason: string) => Promise<unknown>;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useChange();
  if (!open) {
    return (
      <button type="button" className="secondary small" aria-label={`${verb} ${what}`} onClick={() => setOpen(true)}>
        {verb}
      </button>
    );
  }
  return (
    <form
      className="inline-reason"
      aria-label={`${verb} ${what}`}
      onSubmit={async (e) => {
        e.preventDefault();
        if (await run(() => onConfirm(reason.trim()), `${verb}: ${what}.`)) setOpen(false);
      }}
    >
      <ReasonField value={reason} onChange={setReason} label={`Reason to ${verb.toLowerCase()}`} />
      <div className="button-row compact">
        <button type="submit" className="danger small" disabled={busy || !reason.trim()}>
          Confirm {verb.toLowerCase()}
        </button>
        <button type="button" className="secondary small" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      <ErrorNotice error={error} />
    </form>
  );
}

/** Finds a person by name or username in the directory and hands back the one chosen. */
export function PersonSearch({
  label,
  chosen,
  onChoose,
  kind,
}: {
  label: string;
  chosen: PersonSummary | null;
  onChoose: (person: PersonSummary | null) => void;
  kind?: string;
}) {
  const id = useId();
  const { schoolId } = useSchool();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const found = useApi(() => (q.length >= 2 ? api.people({ q, kind, schoolId, limit: 8 }) : Promise.resolve(null)), [q, kind, schoolId]);
  if (chosen) {
    return (
      <div className="field">
        <span className="label-text">{label}</span>
        <p className="chosen">
          <strong>{chosen.name}</strong>{' '}
          <button type="button" className="link-button" onClick={() => onChoose(null)}>
            Change {label.toLowerCase()}
          </button>
        </p>
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="hint">Type at least two letters of a name or username.</span>
      <input id={id} type="search" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
      <ErrorNotice error={found.error} />
      {found.data && (
        <ul className="plain-list choose-list" aria-label={`People matching ${q}`}>
          {found.data.items.length === 0 && <li>No one matches.</li>}
          {found.data.items.map((p) => (
            <li key={p.id}>
              <button type="button" className="link-button" onClick={() => onChoose(p)}>
                Choose {p.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A loading line, an error, or the content once it is there. */
export function WhenLoaded<T>({
  state,
  what,
  children,
}: {
  state: { data: T | undefined; error: unknown; loading: boolean };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (state.error) return <ErrorNotice error={state.error} />;
  if (state.data === undefined) return <p role="status">Loading {what}…</p>;
  return <>{children(state.data)}</>;
}

/** A person's name from their id: known already (just chosen), or looked up in the directory. */
export function PersonName({ id, known }: { id: string; known?: string | null }) {
  const person = useApi(() => (known ? Promise.resolve(null) : api.person(id)), [id, known]);
  return <span>{known ?? person.data?.name ?? 'Someone'}</span>;
}

/** One column of a {@link RecordTable}: its heading and what each record shows in it. */
export interface RecordColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

/**
 * The table most filtering screens show: a note when there are no records, else one row per
 * record. The first column heads its row, so a screen reader names the record with every
 * cell. With `remove`, a last column holds a button that asks for the reason first.
 */
export function RecordTable<T extends { id: string }>({
  rows,
  empty,
  label,
  columns,
  remove,
}: {
  rows: readonly T[];
  /** Shown instead of the table when there are no rows. */
  empty: ReactNode;
  /** The accessible name of the table's scrolling region. */
  label: string;
  columns: readonly [RecordColumn<T>, ...RecordColumn<T>[]];
  /** Left out when the user may not change the records: no column then. */
  remove?: { verb?: string; what: (row: T) => string; run: (row: T, reason: string) => Promise<unknown> };
}) {
  if (rows.length === 0) return <>{empty}</>;
  const [first, ...rest] = columns;
  const verb = remove?.verb ?? 'Remove';
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
            {remove && (
              <th scope="col">
                <span className="visually-hidden">{verb}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">{first.cell(row)}</th>
              {rest.map((c) => (
                <td key={c.header}>{c.cell(row)}</td>
              ))}
              {remove && (
                <td>
                  <RemoveWithReason what={remove.what(row)} verb={remove.verb} onConfirm={(reason) => remove.run(row, reason)} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
