import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { AuthFrame } from '../components/AuthFrame';
import { CodeField } from '../components/CodeField';
import { ErrorNotice } from '../components/ErrorNotice';
import { useAuth } from '../session';

export function TotpChallenge() {
  const { accept, signOut } = useAuth();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    document.title = 'Two-step sign-in – Tutela';
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await accept(await api.verifyTotp(code));
    } catch (failure) {
      setError(failure);
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame>
      <h1>Two-step sign-in</h1>
      <p>Open the authenticator app on your phone and enter the 6-digit code it shows for Tutela.</p>
      <ErrorNotice error={error} />
      <form onSubmit={submit} className="stack">
        <CodeField value={code} onChange={setCode} />
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Continue'}
        </button>
      </form>
      <p>
        <button type="button" className="link-button" onClick={() => void signOut()}>
          Cancel and sign in as someone else
        </button>
      </p>
      <p className="hint">Lost your phone? Ask your network manager to reset your two-step sign-in.</p>
    </AuthFrame>
  );
}
