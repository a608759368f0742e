import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, api, lastServerContact, setCsrfToken, setSessionProblemHandler, type SessionProblem } from './api';
import type { Me, SessionView } from './types';

export type AuthState =
  | { status: 'loading' }
  | { status: 'unavailable'; message: string }
  | { status: 'setup' }
  | { status: 'signedOut'; notice?: string; username?: string }
  | { status: 'totp'; session: SessionView }
  | { status: 'enrol'; session: SessionView }
  | { status: 'locked'; session: SessionView; me: Me | null }
  | { status: 'active'; session: SessionView; me: Me };

interface Auth {
  state: AuthState;
  /** Moves to whatever screen a fresh session view calls for. */
  accept: (view: SessionView) => Promise<void>;
  signOut: () => Promise<void>;
  lock: () => void;
  retry: () => void;
  /** First-run setup has made the administrator: on to signing in as them. */
  setUp: (username: string) => void;
}

const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside <AuthProvider>');
  return auth;
}

/** The signed-in person; only for components rendered inside the signed-in app. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== 'active') throw new Error('useMe needs an active session');
  return state.me;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const stateRef = useRef(state);
  stateRef.current = state;

  const accept = useCallback(async (view: SessionView) => {
    setCsrfToken(view.csrfToken);
    if (view.stage === 'totp_required') return setState({ status: 'totp', session: view });
    if (view.stage === 'totp_enrolment_required') return setState({ status: 'enrol', session: view });
    const current = stateRef.current;
    const knownMe = current.status === 'active' || current.status === 'locked' ? current.me : null;
    if (view.locked) return setState({ status: 'locked', session: view, me: knownMe });
    try {
      const me = await api.me();
      setState({ status: 'active', session: view, me });
    } catch (error) {
      // The idle lock can fall between the two requests; other session problems reach the handler.
      if (error instanceof ApiError && error.error === 'session_locked')
        setState({ status: 'locked', session: { ...view, locked: true }, me: knownMe });
      else if (!(error instanceof ApiError && error.status === 401)) {
        setState({ status: 'unavailable', message: error instanceof Error ? error.message : String(error) });
      }
    }
  }, []);

  const load = useCallback(async () => {
    setState({ status: 'loading' });
    try {
      // Asked first: a fresh installation has no accounts, so a sign-in page would be a dead end.
      if (await api.setupNeeded()) return setState({ status: 'setup' });
      await accept(await api.session());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setState({ status: 'signedOut' });
      else setState({ status: 'unavailable', message: error instanceof Error ? error.message : String(error) });
    }
  }, [accept]);

  useEffect(() => {
    setSessionProblemHandler((problem: SessionProblem) => {
      const current = stateRef.current;
      if (problem === 'unauthenticated') {
        setCsrfToken(null);
        const wasIn = current.status === 'active' || current.status === 'locked' || current.status === 'totp' || current.status === 'enrol';
        if (current.status !== 'signedOut') {
          setState({ status: 'signedOut', notice: wasIn ? 'Your session has ended. Please sign in again.' : undefined });
        }
      } else if (problem === 'session_locked') {
        if (current.status === 'active') setState({ status: 'locked', session: { ...current.session, locked: true }, me: current.me });
      } else {
        void load();
      }
    });
    void load();
    return () => setSessionProblemHandler(null);
  }, [load]);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } catch {
      // Signed out or not, this tab forgets the session.
    }
    setCsrfToken(null);
    setState({ status: 'signedOut', notice: 'You have signed out.' });
  }, []);

  const lock = useCallback(() => {
    const current = stateRef.current;
    if (current.status === 'active') setState({ status: 'locked', session: { ...current.session, locked: true }, me: current.me });
  }, []);

  const setUp = useCallback((username: string) => {
    setState({
      status: 'signedOut',
      username,
      notice: `Tutela is set up. Sign in as ${username}; you will be asked to set up two-step sign-in.`,
    });
  }, []);

  const idleMinutes = state.status === 'active' ? state.session.idleLockMinutes : null;
  useIdleLock(idleMinutes, lock, accept);

  const value = useMemo(
    () => ({ state, accept, signOut, lock, setUp, retry: () => void load() }),
    [state, accept, signOut, lock, setUp, load],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove', 'scroll'] as const;
const KEEP_ALIVE_MS = 60_000;

/**
 * Locks the screen after the same idle time as the server, so an unattended screen is covered
 * even before the server is next asked. While the person is working without causing requests
 * (reading, filling a long form), a light ping keeps the server's idle clock in step.
 */
function useIdleLock(minutes: number | null, lock: () => void, accept: (view: SessionView) => Promise<void>) {
  useEffect(() => {
    if (minutes === null) return;
    const idleMs = minutes * 60_000;
    let lastInput = Date.now();
    let pinging = false;

    const check = () => {
      if (Date.now() - lastInput >= idleMs) lock();
    };
    const onActivity = () => {
      // Input after the idle time has passed must not count: the lock is due first.
      if (Date.now() - lastInput >= idleMs) return lock();
      lastInput = Date.now();
      if (!pinging && Date.now() - lastServerContact() > KEEP_ALIVE_MS) {
        pinging = true;
        api
          .session()
          .then((view) => (view.locked ? accept(view) : undefined))
          .catch(() => undefined)
          .finally(() => {
            pinging = false;
          });
      }
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') check();
    };

    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { passive: true, capture: true });
    document.addEventListener('visibilitychange', onVisible);
    const timer = window.setInterval(check, 15_000);
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
      document.removeEventListener('visibilitychange', onVisible);
      window.clearInterval(timer);
    };
  }, [minutes, lock, accept]);
}
