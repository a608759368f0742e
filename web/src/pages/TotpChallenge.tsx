import { useEffect } from 'react';
import { api } from '../api';
import { AuthFrame } from '../components/AuthFrame';
import { CodeField } from '../components/CodeField';
import { ErrorNotice } from '../components/ErrorNotice';
import { useCodeSubmit } from '../components/hooks';
import { useAuth } from '../session';

export function TotpChallenge() {
  const { signOut } = useAuth();
  const { code, setCode, busy, error, submit } = useCodeSubmit(api.verifyTotp);

  useEffect(() => {
    document.title = 'Two-step sign-in – Tutela';
  }, []);

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
