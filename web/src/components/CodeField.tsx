import { useId } from 'react';

/** The 6-digit authenticator code, with the hints phones use to offer the code themselves. */
export function CodeField({
  value,
  onChange,
  label = '6-digit code',
}: {
  value: string;
  onChange: (value: string) => void;
  label?: string;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span id={hintId} className="hint">
        The code changes every 30 seconds.
      </span>
      <input
        id={id}
        className="code-input"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]{6,7}"
        maxLength={7}
        required
        aria-describedby={hintId}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/[^0-9 ]/g, ''))}
      />
    </div>
  );
}
