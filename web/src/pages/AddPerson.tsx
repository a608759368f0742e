import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api';
import { useAnnounce } from '../components/Announcer';
import { EndDateField, needsEndDate } from '../components/EndDateField';
import { ErrorNotice } from '../components/ErrorNotice';
import { NotAllowed } from '../components/NotAllowed';
import { Page } from '../components/Page';
import { endDateToIso, roleLabel, tomorrow } from '../labels';
import { useSchool } from '../school';
import { useMe } from '../session';
import type { ManualPersonKind } from '../types';

const KINDS: { kind: ManualPersonKind; label: string; hint: string }[] = [
  { kind: 'staff', label: 'Staff', hint: 'Staff the MIS import does not bring in, such as supply teachers, coaches or contractors.' },
  { kind: 'governor', label: 'Governor', hint: 'A member of the governing body or a trustee.' },
  { kind: 'guest', label: 'Guest', hint: 'A visitor who needs access for a while, such as a trainee teacher or a visiting speaker.' },
  {
    kind: 'community',
    label: 'Community user',
    hint: 'Someone from outside the school using its network for a while, such as an evening class learner.',
  },
];

/** The roles that fit each kind of person; students and parents come only from the MIS. */
const ROLES_FOR: Record<ManualPersonKind, readonly string[]> = {
  staff: ['staff', 'dsl', 'network_manager', 'head', 'hr', 'trust_admin'],
  governor: ['governor'],
  guest: ['guest'],
  community: ['guest'],
};

const DEFAULT_ROLES: Record<ManualPersonKind, string[]> = {
  staff: ['staff'],
  governor: ['governor'],
  guest: ['guest'],
  community: ['guest'],
};

/** The server's rule for granting senior roles (user.admin in src/access/policy.ts), so no box is offered only to be refused. */
export function AddPerson() {
  const me = useMe();
  if (!me.can.managePeople) {
    return <NotAllowed title="Add a person" message="Your role does not allow adding people" action="add people" />;
  }
  return (
    <Page title="Add a person" lead="For people the MIS import does not bring in. Students, parents and carers come from the MIS.">
      <AddPersonForm />
    </Page>
  );
}

function AddPersonForm() {
  const me = useMe();
  const school = useSchool();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const [kind, setKind] = useState<ManualPersonKind>('staff');
  const [givenName, setGivenName] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [email, setEmail] = useState('');
  const [jobTitle, setJobTitle] = useState('');
  const [roles, setRoles] = useState<string[]>(DEFAULT_ROLES.staff);
  const [endsOn, setEndsOn] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const chooseKind = (next: ManualPersonKind) => {
    setKind(next);
    // Roles that fit one kind rarely fit another, so each kind starts from its usual role.
    setRoles(DEFAULT_ROLES[next]);
  };
  const toggle = (role: string, on: boolean) => setRoles((current) => (on ? [...current, role] : current.filter((r) => r !== role)));
  const offered = ROLES_FOR[kind].filter((r) => me.grantableRoles.includes(r));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const person = await api.createPerson({
        kind,
        givenName: givenName.trim(),
        familyName: familyName.trim(),
        email: email.trim() || undefined,
        jobTitle: kind === 'staff' ? jobTitle.trim() || undefined : undefined,
        roles: roles.filter((r) => offered.includes(r)),
        expiresAt: needsEndDate(kind) && endsOn ? endDateToIso(endsOn) : undefined,
        schoolId: school.schoolId,
      });
      announce(`${person.name} added.`);
      navigate(`/people/${person.id}`);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="stack">
      {school.schoolId && (
        <p className="notice" role="note">
          Adding to <strong>{school.current.name}</strong>.
        </p>
      )}
      <fieldset>
        <legend>Kind of person</legend>
        {KINDS.map((k) => (
          <div className="radio" key={k.kind}>
            <input
              type="radio"
              id={`new-kind-${k.kind}`}
              name="kind"
              value={k.kind}
              checked={kind === k.kind}
              onChange={() => chooseKind(k.kind)}
              aria-describedby={`new-kind-${k.kind}-hint`}
            />
            <label htmlFor={`new-kind-${k.kind}`}>{k.label}</label>
            <span className="hint" id={`new-kind-${k.kind}-hint`}>
              {k.hint}
            </span>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="new-given">Given name</label>
        <input
          id="new-given"
          required
          maxLength={100}
          autoComplete="off"
          value={givenName}
          onChange={(e) => setGivenName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="new-family">Family name</label>
        <input
          id="new-family"
          required
          maxLength={100}
          autoComplete="off"
          value={familyName}
          onChange={(e) => setFamilyName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="new-email">Email (optional)</label>
        <input id="new-email" type="email" maxLength={200} autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
      </div>
      {kind === 'staff' && (
        <div className="field">
          <label htmlFor="new-job">Job title (optional)</label>
          <input id="new-job" maxLength={200} autoComplete="off" value={jobTitle} onChange={(e) => setJobTitle(e.target.value)} />
        </div>
      )}
      {needsEndDate(kind) && <EndDateField id="new-ends" value={endsOn} onChange={setEndsOn} required min={tomorrow()} />}
      <fieldset>
        <legend>Roles</legend>
        <p className="hint">
          Roles decide what they can see and do once they have a sign-in account. Leave all unticked to record them without access.
        </p>
        <div className="checkbox-grid">
          {offered.map((role) => (
            <div className="checkbox" key={role}>
              <input
                type="checkbox"
                id={`new-role-${role}`}
                checked={roles.includes(role)}
                onChange={(e) => toggle(role, e.target.checked)}
              />
              <label htmlFor={`new-role-${role}`}>{roleLabel(role)}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <ErrorNotice error={error} action="add this person" />
      <button type="submit" disabled={busy}>
        {busy ? 'Adding…' : 'Add person'}
      </button>
    </form>
  );
}
