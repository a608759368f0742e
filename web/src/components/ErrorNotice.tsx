import { ApiError } from '../api';

/** Says plainly why something failed; a refusal reads as a refusal, not as a broken page. */
export function ErrorNotice({ error, action }: { error: unknown; action?: string }) {
  if (!error) return null;
  if (error instanceof ApiError && error.error === 'forbidden') {
    return (
      <div className="notice notice-error" role="alert">
        <h2>You do not have permission {action ? `to ${action}` : 'to see this'}.</h2>
        <p>{error.message.replace(/\.?$/, '.')} If you need this, ask your network manager or headteacher.</p>
      </div>
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="notice notice-error" role="alert">
      <p>{message}</p>
    </div>
  );
}
