import { useId, useMemo, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TableWrap } from '../../components/TableWrap';
import { useApi } from '../../components/hooks';
import { useSchool } from '../../school';
import type { FilterCategory, FilterLevel, FilterProfile, FilterWindowKind, MatrixCell } from '../../types';
import { GROUP_LABELS, LEVEL_LABELS, WINDOW_LABELS } from './labels';
import { PersonName, PersonSearch, ReasonField, useChange, useFilterApi } from './parts';

const LEVELS = Object.keys(LEVEL_LABELS) as FilterLevel[];
const WINDOWS = Object.keys(WINDOW_LABELS) as FilterWindowKind[];

/** Only the fields that matter for the level are sent, so a stale window list never lingers. */
function normalise(cell: MatrixCell): MatrixCell {
  const out: MatrixCell = { level: cell.level };
  if (cell.level === 'at_certain_times') out.windows = [...(cell.windows ?? [])].sort();
  if (cell.level === 'nominated_users') {
    out.nominatedPersonIds = [...(cell.nominatedPersonIds ?? [])].sort();
    out.nominatedGroupIds = [...(cell.nominatedGroupIds ?? [])].sort();
  }
  if (cell.warn && cell.level !== 'unacceptable' && cell.level !== 'illegal') out.warn = true;
  return out;
}

const same = (a: MatrixCell | undefined, b: MatrixCell | undefined) =>
  JSON.stringify(a ? normalise(a) : null) === JSON.stringify(b ? normalise(b) : null);

/**
 * The User Actions table of the school's policy, one row per category and one radio per
 * column. Changes are drafted on the page and saved together with one reason.
 */
export function MatrixEditor({
  profile,
  categories,
  readOnly,
  onSaved,
}: {
  profile: FilterProfile;
  categories: FilterCategory[];
  readOnly: boolean;
  onSaved: () => void;
}) {
  const filter = useFilterApi();
  const [draft, setDraft] = useState<Record<string, MatrixCell>>(() => ({ ...profile.matrix }));
  // What the server holds: after a partial failure the cells already saved stop counting as changes.
  const [saved, setSaved] = useState<Record<string, MatrixCell>>(profile.matrix);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useChange();
  const changed = categories.filter((c) => !c.locked && draft[c.id] && !same(draft[c.id], saved[c.id]));
  const groups = useMemo(() => [...new Set(categories.map((c) => c.group))], [categories]);

  const update = (category: string, patch: Partial<MatrixCell>) =>
    setDraft((d) => ({ ...d, [category]: { ...(d[category] ?? { level: 'unacceptable' }), ...patch } }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const why = reason.trim();
    // One request per cell: each is its own entry in the change-control log with the same reason.
    const ok = await run(
      async () => {
        for (const c of changed) {
          const next = await filter.setCell(profile.id, c.id, { ...normalise(draft[c.id]!), reason: why });
          setSaved(next.matrix);
        }
      },
      `Saved ${changed.length === 1 ? '1 change' : `${changed.length} changes`} to ${profile.name}.`,
    );
    // On failure the draft stays as it is, so nothing typed is lost.
    if (ok) onSaved();
  };

  return (
    <section aria-labelledby="matrix-heading" className="matrix">
      <h2 id="matrix-heading">Matrix: {profile.name}</h2>
      <p className="hint">
        Rows are categories; columns are the levels of the policy's User Actions table. Illegal categories are locked: they are loaded from
        the national lists and nothing in Tutela can allow them.
      </p>
      <form onSubmit={save} aria-label={`Matrix of ${profile.name}`}>
        <TableWrap label={`Matrix of ${profile.name}`}>
          <table className="matrix-table">
            <thead>
              <tr>
                <th scope="col">Category</th>
                {LEVELS.map((l) => (
                  <th scope="col" key={l} className="level-col">
                    {LEVEL_LABELS[l]}
                  </th>
                ))}
                <th scope="col">Details</th>
              </tr>
            </thead>
            {groups.map((g) => (
              <tbody key={g}>
                <tr className="group-row">
                  <th scope="rowgroup" colSpan={LEVELS.length + 2}>
                    {GROUP_LABELS[g] ?? g}
                  </th>
                </tr>
                {categories
                  .filter((c) => c.group === g)
                  .map((c) => (
                    <MatrixRow
                      key={c.id}
                      category={c}
                      cell={c.locked ? { level: 'illegal' } : draft[c.id]}
                      changed={changed.includes(c)}
                      readOnly={readOnly}
                      onChange={(patch) => update(c.id, patch)}
                    />
                  ))}
              </tbody>
            ))}
          </table>
        </TableWrap>
        {!readOnly && (
          <div className="panel save-panel">
            <p role="status">
              {changed.length === 0
                ? 'No unsaved changes.'
                : `${changed.length === 1 ? '1 unsaved change' : `${changed.length} unsaved changes`}: ${changed.map((c) => c.label).join(', ')}.`}
            </p>
            <ReasonField value={reason} onChange={setReason} />
            <div className="button-row">
              <button type="submit" disabled={busy || changed.length === 0 || !reason.trim()}>
                {busy ? 'Saving…' : 'Save changes'}
              </button>
              <button type="button" className="secondary" disabled={busy || changed.length === 0} onClick={() => setDraft({ ...saved })}>
                Undo changes
              </button>
            </div>
            <ErrorNotice error={error} action="change the filtering policy" />
          </div>
        )}
      </form>
    </section>
  );
}

function MatrixRow({
  category,
  cell,
  changed,
  readOnly,
  onChange,
}: {
  category: FilterCategory;
  cell: MatrixCell | undefined;
  changed: boolean;
  readOnly: boolean;
  onChange: (patch: Partial<MatrixCell>) => void;
}) {
  const disabled = readOnly || category.locked;
  return (
    <tr className={changed ? 'changed' : undefined}>
      <th scope="row">
        {category.label}
        {category.locked && (
          <span className="locked-note">
            <Padlock />
            Locked: from the national list, no one can allow it
          </span>
        )}
        {changed && <span className="visually-hidden"> (changed, not saved)</span>}
      </th>
      {LEVELS.map((l) => (
        <td key={l} className="level-cell">
          <input
            type="radio"
            name={`level-${category.id}`}
            value={l}
            checked={cell?.level === l}
            disabled={disabled}
            aria-label={`${category.label}: ${LEVEL_LABELS[l]}`}
            onChange={() => onChange({ level: l })}
          />
        </td>
      ))}
      <td className="matrix-details">
        {!cell && !category.locked && <span className="hint">Not set: follows the profile's default</span>}
        {cell?.level === 'at_certain_times' && (
          <WindowPicker category={category} chosen={cell.windows ?? []} disabled={disabled} onChange={(windows) => onChange({ windows })} />
        )}
        {cell?.level === 'nominated_users' && <NominatedPicker category={category} cell={cell} disabled={disabled} onChange={onChange} />}
        {cell && !category.locked && cell.level !== 'unacceptable' && cell.level !== 'illegal' && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={cell.warn ?? false}
              disabled={disabled}
              onChange={(e) => onChange({ warn: e.target.checked })}
            />
            Warn first
          </label>
        )}
      </td>
    </tr>
  );
}

function WindowPicker({
  category,
  chosen,
  disabled,
  onChange,
}: {
  category: FilterCategory;
  chosen: FilterWindowKind[];
  disabled: boolean;
  onChange: (windows: FilterWindowKind[]) => void;
}) {
  return (
    <fieldset className="window-picker">
      <legend>Allowed during ({category.label})</legend>
      {chosen.length === 0 && <p className="field-error">Choose at least one time, or it is never allowed.</p>}
      {WINDOWS.map((w) => (
        <label key={w} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.includes(w)}
            disabled={disabled}
            onChange={(e) => onChange(e.target.checked ? [...chosen, w] : chosen.filter((x) => x !== w))}
          />
          {WINDOW_LABELS[w]}
        </label>
      ))}
    </fieldset>
  );
}

function NominatedPicker({
  category,
  cell,
  disabled,
  onChange,
}: {
  category: FilterCategory;
  cell: MatrixCell;
  disabled: boolean;
  onChange: (patch: Partial<MatrixCell>) => void;
}) {
  const { schoolId } = useSchool();
  const groups = useApi(() => api.groups({ schoolId }), [schoolId]);
  const [names, setNames] = useState<Record<string, string>>({});
  const groupId = useId();
  const groupIds = cell.nominatedGroupIds ?? [];
  const personIds = cell.nominatedPersonIds ?? [];
  const groupName = (id: string) => groups.data?.find((g) => g.id === id)?.name ?? 'a group';
  return (
    <fieldset className="nominated-picker">
      <legend>Nominated users ({category.label})</legend>
      <ErrorNotice error={groups.error} />
      <ul className="plain-list">
        {groupIds.map((id) => (
          <li key={id}>
            {groupName(id)}{' '}
            {!disabled && (
              <button
                type="button"
                className="link-button"
                onClick={() => onChange({ nominatedGroupIds: groupIds.filter((x) => x !== id) })}
              >
                Remove {groupName(id)}
              </button>
            )}
          </li>
        ))}
        {personIds.map((id) => (
          <li key={id}>
            <PersonName id={id} known={names[id]} />{' '}
            {!disabled && (
              <button
                type="button"
                className="link-button"
                onClick={() => onChange({ nominatedPersonIds: personIds.filter((x) => x !== id) })}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {!disabled && (
        <>
          <div className="field">
            <label htmlFor={groupId}>Add a group</label>
            <select
              id={groupId}
              value=""
              onChange={(e) => e.target.value && onChange({ nominatedGroupIds: [...groupIds, e.target.value] })}
            >
              <option value="">Choose a group…</option>
              {(groups.data ?? [])
                .filter((g) => !groupIds.includes(g.id))
                .map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
            </select>
          </div>
          <PersonSearch
            label="Add a person"
            chosen={null}
            onChoose={(p) => {
              if (!p || personIds.includes(p.id)) return;
              setNames((n) => ({ ...n, [p.id]: p.name }));
              onChange({ nominatedPersonIds: [...personIds, p.id] });
            }}
          />
        </>
      )}
    </fieldset>
  );
}

/** Drawn rather than an emoji, which not every school computer has a font for. */
function Padlock() {
  return (
    <svg className="padlock" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor" />
    </svg>
  );
}
