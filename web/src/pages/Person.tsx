import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api';
import { useAnnounce } from '../components/Announcer';
import { Badge } from '../components/Badge';
import { CreateAccount } from '../components/CreateAccount';
import { EndDateField, needsEndDate } from '../components/EndDateField';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApi } from '../components/hooks';
import { OneTimeSecret } from '../components/OneTimeSecret';
import { Page } from '../components/Page';
import {
  ROLES,
  endDateToIso,
  formatDate,
  formatDateTime,
  formatLongDate,
  groupKindLabel,
  isPast,
  isoToEndDate,
  keyStageLabel,
  personKindLabel,
  roleLabel,
  yearLabel,
} from '../labels';
import { useMe } from '../session';
import type { PersonDetail, PersonEdit } from '../types';

export function Person() {
  const { id = '' } = useParams();
  const person = useApi(() => api.person(id), [id]);
  const p = person.data;
  return (
    <Page title={p?.name ?? (person.error ? 'Person' : 'Loading…')}>
      <ErrorNotice error={person.error} />
      {p && <PersonBody key={p.id} person={p} onChanged={person.reload} />}
    </Page>
  );
}

function PersonBody({ person: p, onChanged }: { person: PersonDetail; onChanged: () => void }) {
  const me = useMe();
  const [secret, setSecret] = useState<{ username: string; password: string } | null>(null);
  const mayCreateAccount = !p.account && p.can.admin && me.can.manageUsers;
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
            {p.expiresAt && <AccessEnds at={p.expiresAt} />}
          </dd>
        </dl>
        {p.can.manage && <EditDetails person={p} onChanged={onChanged} />}
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
                {me.can.browseDirectory ? <Link to={`/groups/${g.id}`}>{g.name}</Link> : g.name}{' '}
                <span className="muted">
                  ({groupKindLabel(g.kind)}
                  {g.memberRole !== 'member' ? `, ${g.memberRole}` : ''})
                </span>
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
                  <Link to={`/people/${g.id}`}>{g.name}</Link>{' '}
                  <span className="muted">
                    ({g.relationship}
                    {g.parentalResponsibility ? ', has parental responsibility' : ''})
                  </span>
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
                <Link to={`/people/${c.id}`}>{c.name}</Link>{' '}
                <span className="muted">
                  ({c.relationship}, {yearLabel(c.yearGroup)})
                </span>
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
          !secret && <p>No sign-in account.</p>
        )}
        {secret && <OneTimeSecret title={`Account created: ${secret.username}`} {...secret} onDone={() => setSecret(null)} />}
        {p.account && p.can.admin && me.can.manageUsers && (
          <p>
            <Link to={`/users?q=${encodeURIComponent(p.account.username)}`}>Manage this account</Link>
          </p>
        )}
        {mayCreateAccount && (
          <CreateAccount
            person={p}
            title="Create sign-in account"
            level={3}
            onCreated={(created) => {
              setSecret(created);
              onChanged();
            }}
          />
        )}
      </section>
      <RoleEditor person={p} onChanged={onChanged} />
    </>
  );
}

/** Guests' access is meant to run out, so the end is spelt out in full and an expired one is flagged. */
function AccessEnds({ at }: { at: string }) {
  return isPast(at) ? (
    <>
      {' '}
      <Badge tone="bad">Expired</Badge> Access ended {formatLongDate(at)}
    </>
  ) : (
    <> Access ends {formatLongDate(at)}</>
  );
}

function EditDetails({ person: p, onChanged }: { person: PersonDetail; onChanged: () => void }) {
  const announce = useAnnounce();
  const [open, setOpen] = useState(false);
  const [givenName, setGivenName] = useState(p.givenName);
  const [familyName, setFamilyName] = useState(p.familyName);
  const [preferredName, setPreferredName] = useState(p.preferredName ?? '');
  const [email, setEmail] = useState(p.email ?? '');
  const [jobTitle, setJobTitle] = useState(p.jobTitle ?? '');
  const [endsOn, setEndsOn] = useState(isoToEndDate(p.expiresAt));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const showJob = p.kind !== 'student' && p.kind !== 'parent';
  const showEnd = needsEndDate(p.kind) || p.kind === 'staff' || p.kind === 'governor' || p.expiresAt !== null;

  const reset = () => {
    setGivenName(p.givenName);
    setFamilyName(p.familyName);
    setPreferredName(p.preferredName ?? '');
    setEmail(p.email ?? '');
    setJobTitle(p.jobTitle ?? '');
    setEndsOn(isoToEndDate(p.expiresAt));
    setError(null);
  };
  useEffect(reset, [p]);

  // Only what changed is sent: re-sending an end date already past would be refused.
  const edit: PersonEdit = {};
  if (givenName.trim() !== p.givenName) edit.givenName = givenName.trim();
  if (familyName.trim() !== p.familyName) edit.familyName = familyName.trim();
  if ((preferredName.trim() || null) !== p.preferredName) edit.preferredName = preferredName.trim() || null;
  if ((email.trim() || null) !== p.email) edit.email = email.trim() || null;
  if (showJob && (jobTitle.trim() || null) !== p.jobTitle) edit.jobTitle = jobTitle.trim() || null;
  if (showEnd && endsOn !== isoToEndDate(p.expiresAt)) edit.expiresAt = endsOn ? endDateToIso(endsOn) : null;
  const changed = Object.keys(edit).length > 0;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await api.updatePerson(p.id, edit);
      announce(`Details saved for ${saved.name}.`);
      setOpen(false);
      onChanged();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="button-row">
        <button
          type="button"
          className="secondary"
          aria-expanded={open}
          aria-controls="person-edit-form"
          onClick={() => {
            if (open) reset();
            setOpen(!open);
          }}
        >
          Edit details
        </button>
      </div>
      {open && (
        <form id="person-edit-form" className="stack panel" aria-label={`Edit details of ${p.name}`} onSubmit={save}>
          <div className="field">
            <label htmlFor="edit-given">Given name</label>
            <input
              id="edit-given"
              required
              maxLength={100}
              autoComplete="off"
              value={givenName}
              onChange={(e) => setGivenName(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="edit-family">Family name</label>
            <input
              id="edit-family"
              required
              maxLength={100}
              autoComplete="off"
              value={familyName}
              onChange={(e) => setFamilyName(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="edit-preferred">Preferred name (optional)</label>
            <input
              id="edit-preferred"
              maxLength={100}
              autoComplete="off"
              value={preferredName}
              onChange={(e) => setPreferredName(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="edit-email">Email (optional)</label>
            <input
              id="edit-email"
              type="email"
              maxLength={200}
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          {showJob && (
            <div className="field">
              <label htmlFor="edit-job">Job title (optional)</label>
              <input id="edit-job" maxLength={200} autoComplete="off" value={jobTitle} onChange={(e) => setJobTitle(e.target.value)} />
            </div>
          )}
          {showEnd && <EndDateField id="edit-ends" value={endsOn} onChange={setEndsOn} required={needsEndDate(p.kind)} />}
          {p.misId && <p className="hint">This record comes from the MIS: the next import may change these details back.</p>}
          <ErrorNotice error={error} action="change these details" />
          <div className="button-row">
            <button type="submit" disabled={busy || !changed}>
              {busy ? 'Saving…' : 'Save details'}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                reset();
                setOpen(false);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
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
  const me = useMe();
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
                <input
                  type="checkbox"
                  id={`role-${role}`}
                  checked={roles.includes(role)}
                  // A role you may not grant is shown as it stands but cannot be changed here.
                  disabled={!me.grantableRoles.includes(role)}
                  onChange={(e) => toggle(role, e.target.checked)}
                />
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
