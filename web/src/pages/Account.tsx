import { useState, type FormEvent } from 'react';
import { ApiError, api } from '../api';
import { useAnnounce } from '../components/Announcer';
import { Badge } from '../components/Badge';
import { ErrorNotice } from '../components/ErrorNotice';
import { Page } from '../components/Page';
import { PasswordPair, focusProblem, passwordProblem, type PasswordProblem } from '../components/PasswordPair';
import { TOTP_REQUIRED_ROLES, roleLabel } from '../labels';
import { useAuth, useMe } from '../session';

export function Account() {
  const me = useMe();
  const { state } = useAuth();
  const totpOn = state.status === 'active' ? Boolean(state.session.user?.totpEnabled) : false;
  const totpNeeded = me.roles.some((r) => (TOTP_REQUIRED_ROLES as readonly string[]).includes(r));
  return (
    <Page title="My account">
      <section aria-labelledby="account-details">
        <h2 id="account-details">Your sign-in</h2>
        <dl className="details">
          <dt>Name</dt>
          <dd>{me.displayName}</dd>
          <dt>Username</dt>
          <dd>{me.username}</dd>
          <dt>School</dt>
          <dd>{me.school.name}</dd>
          <dt>Roles</dt>
          <dd>{me.roles.length ? me.roles.map(roleLabel).join(', ') : '—'}</dd>
          <dt>Two-step sign-in</dt>
          <dd>
            {totpOn ? <Badge tone="good">On</Badge> : <Badge>Off</Badge>}{' '}
            <span className="muted">
              {totpOn
                ? 'You enter a code from your authenticator app when you sign in. If you lose your phone, ask your network manager to reset it.'
                : totpNeeded
                  ? 'Your role needs it; you will be asked to set it up when you next sign in.'
                  : 'Your role does not need it.'}
            </span>
          </dd>
        </dl>
      </section>
      <ChangePassword username={me.username} />
    </Page>
  );
}

function ChangePassword({ username }: { username: string }) {
  const announce = useAnnounce();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<PasswordProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(false);
    const found = passwordProblem(password, confirm);
    setProblem(found);
    if (found) return focusProblem('account-new', found);
    setBusy(true);
    try {
      await api.changePassword(current, password);
      setCurrent('');
      setPassword('');
      setConfirm('');
      setDone(true);
      announce('Password changed.');
    } catch (failure) {
      setError(failure);
      // A wrong current password is retyped from scratch, like at sign-in.
      if (failure instanceof ApiError && failure.error === 'invalid_credentials') setCurrent('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="account-password" className="panel">
      <h2 id="account-password">Change password</h2>
      {done && (
        <div className="notice notice-good" role="status">
          <p>
            Your password has been changed. Anywhere else you were signed in (another browser or device) has been signed out; this one stays
            signed in.
          </p>
        </div>
      )}
      <form onSubmit={submit} className="stack">
        {/* Lets password managers tie the new password to this account. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <div className="field">
          <label htmlFor="account-current">Current password</label>
          <input
            id="account-current"
            type="password"
            autoComplete="current-password"
            required
            maxLength={1000}
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </div>
        <PasswordPair
          idPrefix="account-new"
          label="New password"
          confirmLabel="Confirm new password"
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          problem={problem}
        />
        <ErrorNotice error={error} action="change your password" />
        <button type="submit" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
