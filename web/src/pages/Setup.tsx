import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, api } from '../api';
import { AuthFrame } from '../components/AuthFrame';
import { SchoolFields, type SchoolFieldValues } from '../components/SchoolFields';
import { PasswordPair, focusProblem, passwordProblem, type PasswordProblem } from '../components/PasswordPair';
import { useAuth } from '../session';

/** First run: the setup token proves the person at the browser also runs the server. */
export function Setup() {
  const { setUp, retry } = useAuth();
  const [token, setToken] = useState('');
  const [trustName, setTrustName] = useState('');
  const [school, setSchool] = useState<SchoolFieldValues>({ name: '', urn: '', phase: '' });
  const { phase } = school;
  const [givenName, setGivenName] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<PasswordProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    document.title = 'Set up Tutela – Tutela';
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const found = passwordProblem(password, confirm);
    setProblem(found);
    if (found) return focusProblem('setup', found);
    if (!phase) return setError(new Error('Choose the phase of the school.'));
    setBusy(true);
    try {
      const done = await api.setup({
        token: token.trim(),
        trustName: trustName.trim(),
        schoolName: school.name.trim(),
        urn: school.urn.trim() || undefined,
        phase,
        admin: {
          givenName: givenName.trim(),
          familyName: familyName.trim(),
          email: email.trim() || undefined,
          username: username.trim(),
          password,
        },
      });
      setUp(done.username);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const alreadySetUp = error instanceof ApiError && error.error === 'conflict';

  return (
    <AuthFrame>
      <h1>Set up Tutela</h1>
      <p>Welcome. Tell Tutela about your trust and your first school, and make the first administrator&rsquo;s account.</p>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="setup-token">Setup token</label>
          <span className="hint" id="setup-token-hint">
            Tutela prints the setup token in the server&rsquo;s console each time it starts until it is set up. If it has restarted since,
            use the newest token.
          </span>
          <input
            id="setup-token"
            className="secret"
            required
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            aria-describedby="setup-token-hint"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </div>

        <fieldset>
          <legend>Trust and school</legend>
          <div className="stack">
            <div className="field">
              <label htmlFor="setup-trust">Trust name</label>
              <span className="hint" id="setup-trust-hint">
                The multi-academy trust, or the school&rsquo;s own name if it is not part of a trust.
              </span>
              <input
                id="setup-trust"
                required
                maxLength={200}
                aria-describedby="setup-trust-hint"
                value={trustName}
                onChange={(e) => setTrustName(e.target.value)}
              />
            </div>
            <SchoolFields idPrefix="setup-school" value={school} onChange={setSchool} />
          </div>
        </fieldset>

        <fieldset>
          <legend>First administrator</legend>
          <p className="hint">
            This person can add staff, create accounts and add the trust&rsquo;s other schools. They will set up two-step sign-in when they
            first sign in.
          </p>
          <div className="stack">
            <div className="field">
              <label htmlFor="setup-given">Given name</label>
              <input
                id="setup-given"
                required
                maxLength={100}
                autoComplete="given-name"
                value={givenName}
                onChange={(e) => setGivenName(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="setup-family">Family name</label>
              <input
                id="setup-family"
                required
                maxLength={100}
                autoComplete="family-name"
                value={familyName}
                onChange={(e) => setFamilyName(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="setup-email">Email (optional)</label>
              <input
                id="setup-email"
                type="email"
                maxLength={200}
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="setup-username">Username</label>
              <span className="hint" id="setup-username-hint">
                Letters, digits, dots, dashes and underscores, such as jo.bloggs.
              </span>
              <input
                id="setup-username"
                required
                maxLength={64}
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                aria-describedby="setup-username-hint"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
              />
            </div>
            <PasswordPair
              idPrefix="setup"
              password={password}
              confirm={confirm}
              onPassword={setPassword}
              onConfirm={setConfirm}
              problem={problem}
            />
          </div>
        </fieldset>

        {error !== null && <SetupError error={error} />}
        {alreadySetUp ? (
          <button type="button" onClick={retry}>
            Go to sign-in
          </button>
        ) : (
          <button type="submit" disabled={busy}>
            {busy ? 'Setting up…' : 'Set up Tutela'}
          </button>
        )}
      </form>
    </AuthFrame>
  );
}

/** Next to the button, where a person on a phone is looking when they press it. */
function SetupError({ error }: { error: unknown }) {
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof ApiError && error.error === 'forbidden') {
    message = 'That setup token is not right. Copy it again from the server’s console: it is printed each time Tutela starts.';
  } else if (error instanceof ApiError && error.error === 'conflict') {
    message = 'Tutela is already set up. Sign in with the administrator’s account, or ask them for one.';
  }
  return (
    <div className="notice notice-error" role="alert">
      <p>{message}</p>
    </div>
  );
}
