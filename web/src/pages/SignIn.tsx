import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { AuthFrame } from '../components/AuthFrame';
import { ErrorNotice } from '../components/ErrorNotice';
import { useAuth } from '../session';
import type { OidcProvider } from '../types';

// Single sign-on sends people back with ?error=<id> (src/auth/oidc/routes.ts); each id gets plain words.
const PROVIDER_ERRORS: Record<string, string> = {
  oidc_cancelled: 'Sign-in was cancelled at your school account provider.',
  oidc_expired: 'That sign-in took too long or was started in another tab. Please try again.',
  oidc_failed: 'Your school account provider did not complete the sign-in. Please try again.',
  oidc_unavailable: 'Signing in with that provider is not available at the moment.',
  oidc_no_account: 'No Tutela account is linked to that school account. Ask your network manager to set one up.',
  oidc_ambiguous_account:
    'More than one Tutela account uses that email address, so Tutela cannot tell which is yours. Ask your network manager.',
  account_disabled: 'Your account has been disabled. Ask your network manager.',
  account_expired: 'Your access to Tutela has ended. Ask your network manager if you still need it.',
  account_locked: 'Your account is locked after too many failed attempts. Try again later or ask your network manager.',
};

export function SignIn() {
  const { accept, state } = useAuth();
  const [params] = useSearchParams();
  const [username, setUsername] = useState(state.status === 'signedOut' ? (state.username ?? '') : '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [providers, setProviders] = useState<OidcProvider[]>([]);
  const providerError = params.get('error');
  const notice = state.status === 'signedOut' ? state.notice : undefined;

  useEffect(() => {
    document.title = 'Sign in – Tutela';
    api.oidcProviders().then(setProviders, () => setProviders([]));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await accept(await api.signIn(username.trim(), password));
    } catch (failure) {
      setError(failure);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame>
      <h1>Sign in</h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {providerError && (
        <div className="notice notice-error" role="alert">
          <p>{PROVIDER_ERRORS[providerError] ?? `Sign-in with your school account did not work (${providerError}).`}</p>
        </div>
      )}
      <ErrorNotice error={error} />
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="username">Username</label>
          <input
            id="username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {providers.length > 0 && (
        <section aria-labelledby="sso-heading" className="sso">
          <h2 id="sso-heading">Or use your school account</h2>
          <ul className="plain-list">
            {providers.map((p) => (
              <li key={p.id}>
                <a className="button secondary" href={`/api/auth/oidc/${encodeURIComponent(p.id)}/start`}>
                  Sign in with {p.label}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <p className="hint">Forgotten your password? Ask your school&rsquo;s network manager to reset it.</p>
    </AuthFrame>
  );
}
