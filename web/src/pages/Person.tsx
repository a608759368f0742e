import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api';
import { useAnnounce } from '../components/Announcer';
import { Badge } from '../components/Badge';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApi } from '../components/hooks';
import { Page } from '../components/Page';
import { ROLES, formatDate, formatDateTime, groupKindLabel, keyStageLabel, personKindLabel, roleLabel, yearLabel } from '../labels';
import { useMe } from '../session';
import type { PersonDetail } from '../types';

export function Person() {
  const { id = '' } = useParams();
  const person = useApi(() => api.person(id), [id]);
  const p = person.data;
  return (
    <Page title={p?.name ?? (person.error ? 'Person' : 'Loading…')}>
      <ErrorNotice error={person.error} />
      {p && <PersonBody person={p} onChanged={person.reload} />}
    </Page>
  );
}

function PersonBody({ person: p, onChanged }: { person: PersonDetail; onChanged: () => void }) {
  const me = useMe();
  return (
    <>
      <section aria-labelledby="person-details">
        <h2 id="person-details">Details</h2>
        <dl className="details">
          <dt>Kind</dt>
          <dd>{personKindLabel(p.kind)}</dd>
          <dt>Legal name</dt>
          <dd>
            {p.givenName} {p.familyName}
          </dd>
          {p.preferredName && (
            <>
              <dt>Preferred name</dt>
              <dd>{p.preferredName}</dd>
            </>
          )}
          {p.kind === 'student' && (
            <>
              <dt>Year group</dt>
              <dd>{yearLabel(p.yearGroup)}</dd>
              <dt>Key stage</dt>
              <dd>{keyStageLabel(p.keyStage)}</dd>
              <dt>Date of birth</dt>
              <dd>{formatDate(p.dateOfBirth)}</dd>
            </>
          )}
          {p.jobTitle && (
            <>
              <dt>Job title</dt>
              <dd>{p.jobTitle}</dd>
            </>
          )}
          <dt>Email</dt>
          <dd>{p.email ?? '—'}</dd>
          <dt>MIS id</dt>
          <dd>{p.misId ?? '—'}</dd>
          <dt>Status</dt>
          <dd>
            {p.status === 'active' ? <Badge tone="good">At the school</Badge> : <Badge>{`Left ${formatDate(p.leftAt)}`}</Badge>}
            {p.expiresAt && <> Access ends {formatDate(p.expiresAt)}</>}
          </dd>
        </dl>
      </section>

      <Roles person={p} />

      <section aria-labelledby="person-groups">
        <h2 id="person-groups">Groups</h2>
        {p.groups.length === 0 ? (
          <p>Not in any group.</p>
        ) : (
          <ul className="plain-list">
            {p.groups.map((g) => (
              <li key={`${g.id}-${g.memberRole}`}>
                {me.can.browseDirectory ? <Link to={`/groups/${g.id}`}>{g.name}</Link> : g.name} <span className="muted">({groupKindLabel(g.kind)}
                {g.memberRole !== 'member' ? `, ${g.memberRole}` : ''})</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {(p.kind === 'student' || p.guardians.length > 0) && (
        <section aria-labelledby="person-guardians">
          <h2 id="person-guardians">Parents and carers</h2>
          {p.guardians.length === 0 ? (
            <p>No parents or carers recorded.</p>
          ) : (
            <ul className="plain-list">
              {p.guardians.map((g) => (
                <li key={g.id}>
                  <Link to={`/people/${g.id}`}>{g.name}</Link> <span className="muted">({g.relationship}
                  {g.parentalResponsibility ? ', has parental responsibility' : ''})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {p.children.length > 0 && (
        <section aria-labelledby="person-children">
          <h2 id="person-children">Children</h2>
          <ul className="plain-list">
            {p.children.map((c) => (
              <li key={c.id}>
                <Link to={`/people/${c.id}`}>{c.name}</Link> <span className="muted">({c.relationship}, {yearLabel(c.yearGroup)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="person-account">
        <h2 id="person-account">Sign-in account</h2>
        {p.account ? (
          <dl className="details">
            <dt>Username</dt>
            <dd>{p.account.username}</dd>
            <dt>Status</dt>
            <dd>{p.account.disabled ? <Badge tone="bad">Disabled</Badge> : <Badge tone="good">Enabled</Badge>}</dd>
            <dt>Two-step sign-in</dt>
            <dd>{p.account.totpEnabled ? 'Set up' : 'Not set up'}</dd>
            <dt>Last signed in</dt>
            <dd>{formatDateTime(p.account.lastSignInAt)}</dd>
          </dl>
        ) : (
          <p>No sign-in account.</p>
        )}
        {p.can.admin && me.can.manageUsers && (
          <p>
            <Link to={`/users?q=${encodeURIComponent(p.account?.username ?? p.familyName)}`}>{p.account ? 'Manage this account' : 'Create an account'}</Link>
          </p>
        )}
      </section>
      <RoleEditor person={p} onChanged={onChanged} />
    </>
  );
}

function Roles({ person }: { person: PersonDetail }) {
  return (
    <section aria-labelledby="person-roles">
      <h2 id="person-roles">Roles</h2>
      {person.roles.length === 0 ? (
        <p>No roles: this person cannot use Tutela yet.</p>
      ) : (
        <ul className="plain-list">
          {person.roles.map((r) => (
            <li key={r}>{roleLabel(r)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RoleEditor({ person, onChanged }: { person: PersonDetail; onChanged: () => void }) {
  const announce = useAnnounce();
  const [roles, setRoles] = useState<string[]>(person.roles);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setRoles(person.roles), [person.roles]);
  if (!person.can.manage) return null;

  const toggle = (role: string, on: boolean) => setRoles((current) => (on ? [...current, role] : current.filter((r) => r !== role)));
  const changed = roles.length !== person.roles.length || roles.some((r) => !person.roles.includes(r));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.setRoles(person.id, roles);
      announce(`Roles saved for ${person.name}.`);
      onChanged();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="person-edit-roles">
      <h2 id="person-edit-roles">Change roles</h2>
      <ErrorNotice error={error} action="change these roles" />
      <form onSubmit={save}>
        <fieldset>
          <legend>Roles for {person.name}</legend>
          <div className="checkbox-grid">
            {ROLES.map((role) => (
              <div className="checkbox" key={role}>
                <input type="checkbox" id={`role-${role}`} checked={roles.includes(role)} onChange={(e) => toggle(role, e.target.checked)} />
                <label htmlFor={`role-${role}`}>{roleLabel(role)}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <button type="submit" disabled={busy || !changed}>
          {busy ? 'Saving…' : 'Save roles'}
        </button>
      </form>
    </section>
  );
}
