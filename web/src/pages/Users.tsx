import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../api';
import { useAnnounce } from '../components/Announcer';
import { Badge } from '../components/Badge';
import { CreateAccount } from '../components/CreateAccount';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApi, useDebounced } from '../components/hooks';
import { OneTimeSecret } from '../components/OneTimeSecret';
import { Page } from '../components/Page';
import { TableWrap } from '../components/TableWrap';
import { formatDateTime, personKindLabel, roleLabel } from '../labels';
import { useMe } from '../session';
import type { Account } from '../types';
import { useSchool } from '../school';

type Action = 'reset-password' | 'reset-totp' | 'disable' | 'enable' | 'unlock';

const CONFIRM: Partial<Record<Action, (a: Account) => string>> = {
  'reset-password': (a) =>
    `Make a new password for ${a.name} (${a.username})? Their current password stops working and they are signed out.`,
  'reset-totp': (a) => `Remove two-step sign-in for ${a.name} (${a.username})? They will set it up again at their next sign-in.`,
  disable: (a) => `Disable the account of ${a.name} (${a.username})? They are signed out and cannot sign in until it is enabled.`,
};

const DONE: Record<Exclude<Action, 'reset-password'>, string> = {
  'reset-totp': 'Two-step sign-in removed for',
  disable: 'Account disabled:',
  enable: 'Account enabled:',
  unlock: 'Sign-in lockout lifted for',
};

export function Users() {
  const announce = useAnnounce();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim(), 300);
  const school = useSchool();
  const accounts = useApi(() => api.users(q || undefined, school.schoolId), [q, school.schoolId]);
  const [secret, setSecret] = useState<{ title: string; username: string; password: string } | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  // The search is kept in the address so a person's page can link to their account here.
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setParams(q ? { q } : {}, { replace: true });
  }, [q, params, setParams]);

  const act = async (account: Account, action: Action) => {
    const question = CONFIRM[action]?.(account);
    if (question && !window.confirm(question)) return;
    setBusy(`${account.id}:${action}`);
    setActionError(null);
    try {
      if (action === 'reset-password') {
        const result = await api.resetPassword(account.id);
        setSecret({ title: `New password for ${account.name}`, ...result });
      } else {
        await api.userAction(account.id, action);
        announce(`${DONE[action]} ${account.username}.`);
      }
      accounts.reload();
    } catch (failure) {
      setActionError(failure);
    } finally {
      setBusy(null);
    }
  };

  const refused = accounts.error instanceof ApiError && accounts.error.error === 'forbidden';

  return (
    <Page title="Users">
      {refused ? (
        <ErrorNotice error={accounts.error} action="manage user accounts" />
      ) : (
        <>
          {secret && <OneTimeSecret {...secret} onDone={() => setSecret(null)} />}
          <ErrorNotice error={actionError} action="change this account" />
          <form role="search" aria-label="Find accounts" className="filters" onSubmit={(e) => e.preventDefault()}>
            <div className="field field-wide">
              <label htmlFor="users-q">Search by username or surname</label>
              <input id="users-q" type="search" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
            </div>
          </form>
          <ErrorNotice error={accounts.error} />
          <p role="status" className="result-count">
            {accounts.loading
              ? 'Loading accounts…'
              : accounts.data
                ? `${accounts.data.length} account${accounts.data.length === 1 ? '' : 's'}`
                : ''}
          </p>
          {accounts.data && accounts.data.length > 0 && (
            <TableWrap label="Accounts">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Username</th>
                    <th scope="col">Name</th>
                    <th scope="col">Roles</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last signed in</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {accounts.data.map((a) => (
                    <tr key={a.id}>
                      <th scope="row">{a.username}</th>
                      <td>
                        <Link to={`/people/${a.personId}`}>{a.name}</Link>
                        <span className="muted"> {personKindLabel(a.kind)}</span>
                      </td>
                      <td>{a.roles.map(roleLabel).join(', ') || '—'}</td>
                      <td>
                        <StatusBadges account={a} />
                      </td>
                      <td>{formatDateTime(a.lastSignInAt)}</td>
                      <td>
                        <div className="button-row compact">
                          <ActionButton account={a} action="reset-password" label="Reset password" busy={busy} onAct={act} />
                          {a.totpEnabled && <ActionButton account={a} action="reset-totp" label="Reset two-step" busy={busy} onAct={act} />}
                          {a.locked && <ActionButton account={a} action="unlock" label="Unlock" busy={busy} onAct={act} />}
                          {a.personId === me.personId ? null : a.disabled ? (
                            <ActionButton account={a} action="enable" label="Enable" busy={busy} onAct={act} />
                          ) : (
                            <ActionButton account={a} action="disable" label="Disable" busy={busy} onAct={act} danger />
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          <CreateAccount
            onCreated={(created) => {
              setSecret({ title: `Account created: ${created.username}`, ...created });
              accounts.reload();
            }}
          />
        </>
      )}
    </Page>
  );
}

function StatusBadges({ account: a }: { account: Account }) {
  const badges: { tone: 'good' | 'warn' | 'bad' | 'neutral'; text: string }[] = [];
  if (a.disabled) badges.push({ tone: 'bad', text: 'Disabled' });
  if (a.locked) badges.push({ tone: 'warn', text: 'Locked out' });
  if (a.expired) badges.push({ tone: 'warn', text: 'Expired' });
  if (a.left) badges.push({ tone: 'neutral', text: 'Left' });
  if (badges.length === 0) badges.push({ tone: 'good', text: 'Active' });
  badges.push(a.totpEnabled ? { tone: 'good', text: 'Two-step on' } : { tone: 'neutral', text: 'Two-step off' });
  return (
    <span className="badges">
      {badges.map((b) => (
        <Badge key={b.text} tone={b.tone}>
          {b.text}
        </Badge>
      ))}
    </span>
  );
}

function ActionButton(props: {
  account: Account;
  action: Action;
  label: string;
  busy: string | null;
  danger?: boolean;
  onAct: (a: Account, action: Action) => void;
}) {
  const { account, action, label, busy, danger, onAct } = props;
  return (
    <button
      type="button"
      className={danger ? 'danger small' : 'secondary small'}
      disabled={busy !== null}
      aria-label={`${label} for ${account.username}`}
      onClick={() => onAct(account, action)}
    >
      {busy === `${account.id}:${action}` ? 'Working…' : label}
    </button>
  );
}
