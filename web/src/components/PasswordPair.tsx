/** The server's rule (src/auth/passwords.ts), checked here too only so the answer comes sooner. */
export const MIN_PASSWORD_LENGTH = 10;

export interface PasswordProblem {
  field: 'password' | 'confirm';
  message: string;
}

export function passwordProblem(password: string, confirm: string): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return { field: 'password', message: `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.` };
  if (password !== confirm)
    return { field: 'confirm', message: 'The two passwords are not the same. Type the password again to confirm it.' };
  return null;
}

/** Moves focus to the field at fault, whose description then reads the problem out. */
export function focusProblem(idPrefix: string, problem: PasswordProblem): void {
  document.getElementById(`${idPrefix}-${problem.field}`)?.focus();
}

/** A new password typed twice; a typing mistake here would lock someone out of their own account. */
export function PasswordPair(props: {
  idPrefix: string;
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  problem: PasswordProblem | null;
  label?: string;
  confirmLabel?: string;
}) {
  const { idPrefix, password, confirm, onPassword, onConfirm, problem, label = 'Password', confirmLabel = 'Confirm password' } = props;
  const hintId = `${idPrefix}-password-hint`;
  const errorId = `${idPrefix}-password-error`;
  const describe = (field: PasswordProblem['field'], base?: string) =>
    [base, problem?.field === field ? errorId : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-password`}>{label}</label>
        <span className="hint" id={hintId}>
          At least {MIN_PASSWORD_LENGTH} characters, and not containing the username. A few unrelated words make a strong password that is
          easy to remember.
        </span>
        {problem?.field === 'password' && (
          <span className="field-error" id={errorId}>
            {problem.message}
          </span>
        )}
        <input
          id={`${idPrefix}-password`}
          type="password"
          autoComplete="new-password"
          required
          maxLength={1000}
          aria-describedby={describe('password', hintId)}
          aria-invalid={problem?.field === 'password' || undefined}
          value={password}
          onChange={(e) => onPassword(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-confirm`}>{confirmLabel}</label>
        {problem?.field === 'confirm' && (
          <span className="field-error" id={errorId}>
            {problem.message}
          </span>
        )}
        <input
          id={`${idPrefix}-confirm`}
          type="password"
          autoComplete="new-password"
          required
          maxLength={1000}
          aria-describedby={describe('confirm')}
          aria-invalid={problem?.field === 'confirm' || undefined}
          value={confirm}
          onChange={(e) => onConfirm(e.target.value)}
        />
      </div>
    </>
  );
}
