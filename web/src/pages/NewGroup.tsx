import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api';
import { useAnnounce } from '../components/Announcer';
import { ErrorNotice } from '../components/ErrorNotice';
import { NotAllowed } from '../components/NotAllowed';
import { Page } from '../components/Page';
import { YEAR_GROUPS, groupKindLabel, yearLabel } from '../labels';
import { useSchool } from '../school';
import { useMe } from '../session';
import type { ManualGroupKind } from '../types';

// Key stages and year groups are not here: they follow students' year groups by themselves.
const KINDS: { kind: ManualGroupKind; hint: string }[] = [
  { kind: 'custom', hint: 'Any set of people, such as a club, a trip or a working party.' },
  { kind: 'staff_team', hint: 'Staff who work together, such as a department or the pastoral team.' },
  { kind: 'class', hint: 'A teaching group for a subject.' },
  { kind: 'tutor_group', hint: 'A form or registration group.' },
];

export function NewGroup() {
  const me = useMe();
  if (!me.can.managePeople) {
    return <NotAllowed title="New group" message="Your role does not allow creating groups" action="create groups" />;
  }
  return (
    <Page title="New group" lead="Classes and tutor groups usually come from the MIS import; make one here when yours does not.">
      <NewGroupForm />
    </Page>
  );
}

function NewGroupForm() {
  const school = useSchool();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const [kind, setKind] = useState<ManualGroupKind>('custom');
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [subject, setSubject] = useState('');
  const [year, setYear] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const hasYear = kind === 'class' || kind === 'tutor_group';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const group = await api.createGroup({
        kind,
        name: name.trim(),
        code: code.trim() || undefined,
        subject: kind === 'class' ? subject.trim() || undefined : undefined,
        yearGroup: hasYear && year !== '' ? Number(year) : undefined,
        schoolId: school.schoolId,
      });
      announce(`Group created: ${group.name}.`);
      navigate(`/groups/${group.id}`);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="stack">
      {school.schoolId && (
        <p className="notice" role="note">
          Creating in <strong>{school.current.name}</strong>.
        </p>
      )}
      <fieldset>
        <legend>Kind of group</legend>
        {KINDS.map((k) => (
          <div className="radio" key={k.kind}>
            <input
              type="radio"
              id={`group-kind-${k.kind}`}
              name="kind"
              value={k.kind}
              checked={kind === k.kind}
              onChange={() => setKind(k.kind)}
              aria-describedby={`group-kind-${k.kind}-hint`}
            />
            <label htmlFor={`group-kind-${k.kind}`}>{groupKindLabel(k.kind)}</label>
            <span className="hint" id={`group-kind-${k.kind}-hint`}>
              {k.hint}
            </span>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="group-name">Name</label>
        <input id="group-name" required maxLength={100} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="group-code">Code (optional)</label>
        <span className="hint" id="group-code-hint">
          A short code, different from every other {groupKindLabel(kind).toLowerCase()}&rsquo;s. Leave it empty and Tutela will make one
          from the name.
        </span>
        <input
          id="group-code"
          maxLength={40}
          pattern="[A-Za-z0-9][A-Za-z0-9 ._\/\-]*"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          aria-describedby="group-code-hint"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </div>
      {kind === 'class' && (
        <div className="field">
          <label htmlFor="group-subject">Subject (optional)</label>
          <input id="group-subject" maxLength={100} autoComplete="off" value={subject} onChange={(e) => setSubject(e.target.value)} />
        </div>
      )}
      {hasYear && (
        <div className="field">
          <label htmlFor="group-year">Year group (optional)</label>
          <select id="group-year" value={year} onChange={(e) => setYear(e.target.value)}>
            <option value="">Mixed or none</option>
            {YEAR_GROUPS.map((y) => (
              <option key={y} value={y}>
                {yearLabel(y)}
              </option>
            ))}
          </select>
        </div>
      )}
      <ErrorNotice error={error} action="create groups" />
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create group'}
      </button>
    </form>
  );
}
