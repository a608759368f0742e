import { useId, useState } from 'react';
import { incidentApi } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi, useDebounced } from '../../components/hooks';
import { yearLabel } from '../../labels';
import type { IncidentPersonOption, IncidentPersonRole } from '../../types';
import { PERSON_ROLE_LABELS } from './labels';

export interface ChosenPerson {
  person: IncidentPersonOption;
  role: IncidentPersonRole;
}

const describe = (p: IncidentPersonOption): string => {
  if (p.kind !== 'student') return 'Staff';
  const parts = [p.yearGroup === null ? null : yearLabel(p.yearGroup), p.tutorGroup].filter(Boolean);
  return parts.length ? parts.join(', ') : 'Student';
};

/**
 * The people involved, found by typing a name. Each chosen person gets a role; the first one
 * chosen is who the concern is about, since that is what most reports start with.
 */
export function PeoplePicker({ chosen, onChange }: { chosen: ChosenPerson[]; onChange: (chosen: ChosenPerson[]) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 200);
  const found = useApi(() => (q.length >= 2 ? incidentApi.people(q) : Promise.resolve(null)), [q]);
  const taken = new Set(chosen.map((c) => c.person.id));
  const add = (person: IncidentPersonOption) => {
    onChange([...chosen, { person, role: chosen.some((c) => c.role === 'subject') ? 'harmed' : 'subject' }]);
    setText('');
  };
  return (
    <fieldset>
      <legend>People involved</legend>
      {chosen.length > 0 && (
        <ul className="plain-list incident-people" aria-label="Chosen people">
          {chosen.map((c, i) => (
            <li key={c.person.id}>
              <strong>{c.person.name}</strong> <span className="hint">{describe(c.person)}</span>
              <div className="incident-person-row">
                <select
                  aria-label={`Role of ${c.person.name}`}
                  value={c.role}
                  onChange={(e) => onChange(chosen.map((o, j) => (j === i ? { ...o, role: e.target.value as IncidentPersonRole } : o)))}
                >
                  {Object.entries(PERSON_ROLE_LABELS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
                <button type="button" className="secondary small" onClick={() => onChange(chosen.filter((_, j) => j !== i))}>
                  Remove <span className="visually-hidden">{c.person.name}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor={id}>Find a person</label>
        <span className="hint" id={`${id}-hint`}>
          Type at least two letters of a student's or colleague's name.
        </span>
        <input
          id={id}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoComplete="off"
          aria-describedby={`${id}-hint`}
        />
      </div>
      <ErrorNotice error={found.error} />
      {found.data && q.length >= 2 && (
        <ul className="plain-list choose-list" aria-label={`People matching ${q}`}>
          {found.data.filter((p) => !taken.has(p.id)).length === 0 && <li>No one else matches.</li>}
          {found.data
            .filter((p) => !taken.has(p.id))
            .map((p) => (
              <li key={p.id}>
                <button type="button" className="link-button" onClick={() => add(p)}>
                  Add {p.name}
                </button>{' '}
                <span className="hint">{describe(p)}</span>
              </li>
            ))}
        </ul>
      )}
    </fieldset>
  );
}
