import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { blockPageApi } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApi } from '../components/hooks';
import { categoryLabel, ruleLabel } from './filtering/labels';

/**
 * The page the filter sends a blocked browser to. Public and plain: a pupil on a phone must
 * understand what happened, why, and what they can do about it.
 */
export function Blocked() {
  const [params] = useSearchParams();
  const target = params.get('target') ?? '';
  const token = params.get('token');
  const info = useApi(() => blockPageApi.info(target, token), [target, token]);

  useEffect(() => {
    document.title = 'This site is blocked – Tutela';
  }, []);

  const d = info.data;
  const site = d ? (d.url ?? d.host) : target;
  // Held until they accept: the only way on is the agreement, so the page offers nothing else.
  const held = d?.rule === 'agreement_required';
  const category = d ? (d.categoryLabel ?? (d.category ? categoryLabel(d.category) : null)) : null;

  return (
    <>
      <header className="site-header">
        <div className="header-bar">
          <span className="brand">Tutela</span>
          <span className="school-name">School web filter</span>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="blocked-main">
        <div className="blocked-card">
          <h1>
            {held
              ? 'Accept your acceptable use agreement first'
              : d?.action === 'allow'
                ? 'This site is not blocked for you'
                : d?.action === 'warn'
                  ? 'Take care with this site'
                  : 'This site is blocked'}
          </h1>
          <p className="blocked-site">
            <span className="visually-hidden">Site: </span>
            <strong>{site || 'Unknown site'}</strong>
          </p>
          {info.loading && <p role="status">Finding out why…</p>}
          <ErrorNotice error={info.error} />
          {d && (
            <section aria-labelledby="why-heading">
              <h2 id="why-heading">Why</h2>
              <dl className="details">
                <dt>Category</dt>
                <dd>{category ?? 'Not in any category'}</dd>
                <dt>Rule</dt>
                <dd>{ruleLabel(d.rule)}</dd>
                {d.person && (
                  <>
                    <dt>Filtered as</dt>
                    <dd>{d.person.name}</dd>
                  </>
                )}
              </dl>
            </section>
          )}
          {held ? (
            <section aria-labelledby="next-heading">
              <h2 id="next-heading">What you can do</h2>
              <p>
                Before you use the internet at school, read the school's acceptable use agreement and accept it. It takes a few minutes, and
                you only need to do it once this school year.
              </p>
              <p>
                <Link className="button" to="/agreements/mine">
                  Read and accept the agreement
                </Link>
              </p>
            </section>
          ) : (
            <NextSteps />
          )}
          {/* Staff who are not signed in go through sign-in and come back to the form. */}
          {d?.canRequestUnblock && (
            <p>
              <Link
                className="button"
                to={`/filtering/unblock-requests/new?${new URLSearchParams({ target: d.host, ...(d.category ? { category: d.category } : {}) })}`}
              >
                Request an unblock
              </Link>
            </p>
          )}
          {!held && <ReportForm target={site} category={d?.category ?? undefined} rule={d?.rule} />}
          {d && !d.person && <FilterSignIn />}
        </div>
      </main>
    </>
  );
}

function NextSteps() {
  return (
    <section aria-labelledby="next-heading">
      <h2 id="next-heading">What you can do</h2>
      <ul>
        <li>If you need this site for your school work, ask your teacher.</li>
        <li>If you think it is blocked by mistake, or you found something that should be blocked, tell the school below.</li>
        <li>If something online has upset or worried you, talk to a teacher or another adult you trust.</li>
      </ul>
    </section>
  );
}

function ReportForm({ target, category, rule }: { target: string; category?: string; rule?: string }) {
  const [comment, setComment] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const send = async (kind: 'overblocked' | 'underblocked') => {
    setBusy(true);
    setError(null);
    try {
      await blockPageApi.report({ kind, target, category, rule, comment: comment.trim() || undefined });
      setSent(kind);
      setComment('');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="report-heading" className="panel">
      <h2 id="report-heading">Tell the school</h2>
      {sent ? (
        <p className="notice notice-good" role="status">
          Thank you. Your report has been sent to the school’s network manager.
        </p>
      ) : (
        <form onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="report-comment">Comment (optional)</label>
            <textarea id="report-comment" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} />
          </div>
          <div className="button-row">
            <button type="button" disabled={busy || !target} onClick={() => void send('overblocked')}>
              This should not be blocked
            </button>
            <button type="button" className="secondary" disabled={busy || !target} onClick={() => void send('underblocked')}>
              This should be blocked
            </button>
          </div>
        </form>
      )}
      <ErrorNotice error={error} />
    </section>
  );
}

/** On a shared computer the filter knows only the address; signing in here filters it as you. */
function FilterSignIn() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await blockPageApi.signIn(username.trim(), password);
      setDone(result.person.name);
      setPassword('');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  if (done) {
    return (
      <p className="notice notice-good" role="status">
        You are signed in to the filter as {done}. Try the site again.
      </p>
    );
  }
  return (
    <section aria-labelledby="filter-sign-in-heading" className="panel">
      <h2 id="filter-sign-in-heading">Sign in to the filter</h2>
      <p className="hint">On a shared computer, sign in so the filter uses the settings for your year or role.</p>
      <form className="stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor="filter-username">Username</label>
          <input id="filter-username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" required />
        </div>
        <div className="field">
          <label htmlFor="filter-password">Password</label>
          <input
            id="filter-password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
          />
        </div>
        <button type="submit" disabled={busy}>
          Sign in to the filter
        </button>
      </form>
      <ErrorNotice error={error} />
    </section>
  );
}
