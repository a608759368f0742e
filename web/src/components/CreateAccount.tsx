import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { personKindLabel, yearLabel } from '../labels';
import type { PersonSummary } from '../types';
import { ErrorNotice } from './ErrorNotice';
import { useApi, useDebounced } from './hooks';

const suggestUsername = (p: PersonSummary) =>
  `${p.givenName}.${p.familyName}`
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '');

/**
 * Find a person, pick a username, and get a password to hand over. Given `person` (on that
 * person's own page) there is nobody to find.
 */
export function CreateAccount({
  onCreated,
  person,
  title = 'Create an account',
  level = 2,
}: {
  onCreated: (created: { username: string; password: string }) => void;
  person?: PersonSummary;
  title?: string;
  level?: 2 | 3;
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const [picked, setPicked] = useState<PersonSummary | null>(null);
  const chosen = person ?? picked;
  const [username, setUsername] = useState(person ? suggestUsername(person) : '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const found = useApi(() => (q.length >= 2 && !person ? api.people({ q, limit: 10, status: 'active' }) : Promise.resolve(null)), [q]);

  const choose = (p: PersonSummary) => {
    setPicked(p);
    setUsername(suggestUsername(p));
    setError(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const created = await api.createUser({ personId: chosen.id, username: username.trim(), password: password || undefined });
      onCreated(created);
      setPicked(null);
      setText('');
      setUsername(person ? suggestUsername(person) : '');
      setPassword('');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="create-account" className="panel">
      <Heading id="create-account">{title}</Heading>
      <ErrorNotice error={error} action="create this account" />
      {!chosen ? (
        <>
          <div className="field">
            <label htmlFor="create-find">Find the person</label>
            <span className="hint" id="create-find-hint">
              Type at least two letters of their name or MIS id.
            </span>
            <input
              id="create-find"
              type="search"
              value={text}
              onChange={(e) => setText(e.target.value)}
              aria-describedby="create-find-hint"
              autoComplete="off"
            />
          </div>
          <ErrorNotice error={found.error} />
          {found.data && (
            <>
              <p role="status">
                {found.data.total === 0
                  ? 'Nobody found.'
                  : `${found.data.total} found${found.data.total > 10 ? '; showing the first 10' : ''}.`}
              </p>
              <ul className="plain-list choose-list">
                {found.data.items.map((p) => (
                  <li key={p.id}>
                    <button type="button" className="secondary" onClick={() => choose(p)}>
                      Choose {p.name}
                    </button>{' '}
                    <span className="muted">
                      {personKindLabel(p.kind)}
                      {p.yearGroup !== null ? `, ${yearLabel(p.yearGroup)}` : ''}
                      {p.misId ? `, ${p.misId}` : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      ) : (
        <form onSubmit={submit} className="stack">
          <p>
            Account for <strong>{chosen.name}</strong> ({personKindLabel(chosen.kind)}).{' '}
            {!person && (
              <button type="button" className="link-button" onClick={() => setPicked(null)}>
                Choose someone else
              </button>
            )}
          </p>
          <div className="field">
            <label htmlFor="create-username">Username</label>
            <input
              id="create-username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
              autoCapitalize="none"
              spellCheck={false}
            />
          </div>
          <div className="field">
            <label htmlFor="create-password">Password (optional)</label>
            <span className="hint" id="create-password-hint">
              Leave empty and Tutela will make a strong one.
            </span>
            <input
              id="create-password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-describedby="create-password-hint"
            />
          </div>
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create account'}
          </button>
        </form>
      )}
    </section>
  );
}
