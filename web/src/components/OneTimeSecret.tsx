import { useEffect, useRef } from 'react';

/** A password the server shows only once: it takes focus so nobody misses it, and stays until dismissed. */
export function OneTimeSecret({
  title,
  username,
  password,
  onDone,
}: {
  title: string;
  username: string;
  password: string;
  onDone: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), [password]);
  return (
    <div className="notice notice-secret" ref={box} tabIndex={-1} role="region" aria-labelledby="one-time-title">
      <h2 id="one-time-title">{title}</h2>
      <dl className="details">
        <dt>Username</dt>
        <dd>
          <code>{username}</code>
        </dd>
        <dt>Password</dt>
        <dd>
          <code className="secret-value">{password}</code>
        </dd>
      </dl>
      <p>Give this password to the person now, in private. It will not be shown again; they should change it when they first sign in.</p>
      <div className="button-row">
        <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(password)}>
          Copy password
        </button>
        <button type="button" onClick={onDone}>
          I have noted it
        </button>
      </div>
    </div>
  );
}
