import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { AuthFrame } from '../components/AuthFrame';
import { CodeField } from '../components/CodeField';
import { ErrorNotice } from '../components/ErrorNotice';
import { useCodeSubmit } from '../components/hooks';
import { useAuth } from '../session';
import type { TotpEnrolment } from '../types';

export function TotpEnrol() {
  const { signOut } = useAuth();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const { code, setCode, busy, error, setError, submit } = useCodeSubmit(api.confirmTotp);
  const started = useRef(false);

  const begin = useCallback(async () => {
    setError(null);
    setEnrolment(null);
    try {
      setEnrolment(await api.enrolTotp());
    } catch (failure) {
      setError(failure);
    }
  }, [setError]);

  useEffect(() => {
    document.title = 'Set up two-step sign-in – Tutela';
    // Each call makes a new secret and the server keeps only the latest, so ask exactly once.
    if (started.current) return;
    started.current = true;
    void begin();
  }, [begin]);

  return (
    <AuthFrame>
      <h1>Set up two-step sign-in</h1>
      <p>Your role gives access to sensitive records, so signing in needs a code from an authenticator app as well as your password.</p>
      <ErrorNotice error={error} />
      <ol className="steps-list">
        <li>
          Install an authenticator app on your phone, such as Microsoft Authenticator, Google Authenticator or any app that supports
          time-based codes.
        </li>
        <li>
          <p>In the app, add an account and scan this QR code.</p>
          {enrolment ? (
            <>
              <img
                className="qr"
                src={enrolment.qrDataUrl}
                width={220}
                height={220}
                alt="QR code for adding Tutela to your authenticator app"
              />
              <div className="field">
                <label htmlFor="totp-secret">Setup key</label>
                <span className="hint" id="totp-secret-hint">
                  If you cannot scan the code, type this key into the app instead.
                </span>
                <input
                  id="totp-secret"
                  className="secret"
                  readOnly
                  value={enrolment.secret}
                  aria-describedby="totp-secret-hint"
                  onFocus={(e) => e.target.select()}
                />
              </div>
            </>
          ) : (
            !error && <p role="status">Preparing your QR code…</p>
          )}
        </li>
        <li>
          <p>Enter the 6-digit code the app now shows for Tutela.</p>
          <form onSubmit={submit} className="stack">
            <CodeField value={code} onChange={setCode} />
            <button type="submit" disabled={busy || !enrolment}>
              {busy ? 'Checking…' : 'Confirm and continue'}
            </button>
          </form>
        </li>
      </ol>
      <div className="button-row">
        <button type="button" className="secondary" onClick={() => void begin()}>
          Start again with a new key
        </button>
        <button type="button" className="link-button" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </AuthFrame>
  );
}
