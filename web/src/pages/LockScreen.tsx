import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { AuthFrame } from '../components/AuthFrame';
import { ErrorNotice } from '../components/ErrorNotice';
import { useAuth } from '../session';

export function LockScreen() {
  const { state, accept, signOut } = useAuth();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const who = state.status === 'locked' ? (state.me?.displayName ?? state.session.user?.displayName) : undefined;
  const minutes = state.status === 'locked' ? state.session.idleLockMinutes : undefined;

  useEffect(() => {
    document.title = 'Locked – Tutela';
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await accept(await api.unlock(password));
    } catch (failure) {
      setError(failure);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame>
      <h1>Tutela is locked</h1>
      <p>
        {minutes ? `Nothing happened for ${minutes} minutes, so Tutela locked itself` : 'Tutela locked itself'} to keep pupils&rsquo;
        information private.
        {who && (
          <>
            {' '}
            You are signed in as <strong>{who}</strong>.
          </>
        )}
      </p>
      <ErrorNotice error={error} />
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="unlock-password">Password</label>
          <input
            id="unlock-password"
            type="password"
            autoComplete="current-password"
            required
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
      <p>
        <button type="button" className="link-button" onClick={() => void signOut()}>
          Not you? Sign out
        </button>
      </p>
    </AuthFrame>
  );
}
