import { useState, type FormEvent } from 'react';
import { ApiError, api } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApi } from '../components/hooks';
import { Page } from '../components/Page';
import { TableWrap } from '../components/TableWrap';
import { formatDateTime } from '../labels';
import type { AuditVerification } from '../types';

const PAGE_SIZE = 50;

export function Audit() {
  const [draft, setDraft] = useState('');
  const [action, setAction] = useState('');
  // Entries are numbered newest first, so a page is "before seq N"; the stack lets Newer go back.
  const [cursors, setCursors] = useState<number[]>([]);
  const before = cursors[cursors.length - 1];
  const entries = useApi(() => api.audit({ action: action || undefined, before, limit: PAGE_SIZE }), [action, before]);

  const filter = (event: FormEvent) => {
    event.preventDefault();
    setAction(draft.trim());
    setCursors([]);
  };

  const rows = entries.data ?? [];
  const refused = entries.error instanceof ApiError && entries.error.error === 'forbidden';

  return (
    <Page
      title="Audit log"
      lead="Every sign-in, change and read of a sensitive record, newest first. Each entry is chained to the one before, so a changed or deleted entry shows up when the chain is verified."
    >
      {refused ? (
        <ErrorNotice error={entries.error} action="read the audit log" />
      ) : (
        <>
          <VerifyChain />
          <form className="filters" role="search" aria-label="Filter the audit log" onSubmit={filter}>
            <div className="field field-wide">
              <label htmlFor="audit-action">Action starts with</label>
              <span className="hint" id="audit-action-hint">
                For example <code>auth.</code> for sign-ins or <code>user.</code> for account changes.
              </span>
              <input
                id="audit-action"
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                aria-describedby="audit-action-hint"
                autoComplete="off"
              />
            </div>
            <div className="field field-action">
              <button type="submit">Filter</button>
            </div>
          </form>
          <ErrorNotice error={entries.error} />
          <p role="status" className="result-count">
            {entries.loading
              ? 'Loading entries…'
              : rows.length === 0
                ? 'No entries.'
                : `Entries ${rows[0]!.seq} to ${rows[rows.length - 1]!.seq}${action ? ` for actions starting “${action}”` : ''}`}
          </p>
          {rows.length > 0 && (
            <TableWrap label="Audit entries">
              <table className="audit-table">
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      No.
                    </th>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    <th scope="col">IP address</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((e) => (
                    <tr key={e.seq}>
                      <th scope="row" className="num">
                        {e.seq}
                      </th>
                      <td>{formatDateTime(e.at)}</td>
                      <td>{e.actor ?? 'system'}</td>
                      <td>
                        <code>{e.action}</code>
                      </td>
                      <td>{e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : '—'}</td>
                      <td>{e.ip ?? '—'}</td>
                      <td className="details-cell">{describe(e.details)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          <nav className="pager" aria-label="Audit log pages">
            <div className="button-row">
              <button type="button" className="secondary" disabled={cursors.length === 0} onClick={() => setCursors([])}>
                Newest
              </button>
              <button type="button" className="secondary" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Newer entries
              </button>
              <button
                type="button"
                className="secondary"
                disabled={rows.length < PAGE_SIZE}
                onClick={() => setCursors((c) => [...c, rows[rows.length - 1]!.seq])}
              >
                Older entries
              </button>
            </div>
          </nav>
        </>
      )}
    </Page>
  );
}

/** Details as "key: value" pairs: easier to scan than raw JSON. */
function describe(details: unknown): string {
  if (details === null || details === undefined) return '—';
  if (typeof details !== 'object') return String(details);
  const pairs = Object.entries(details as Record<string, unknown>).map(
    ([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`,
  );
  return pairs.length ? pairs.join('; ') : '—';
}

function VerifyChain() {
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.verifyAudit());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="verify-heading" className="panel">
      <h2 id="verify-heading">Check the log has not been altered</h2>
      <button type="button" onClick={() => void verify()} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify chain'}
      </button>
      <ErrorNotice error={error} />
      <div role="status">
        {result &&
          (result.ok ? (
            <p className="notice notice-good">The chain is intact: all {result.entries} entries check out.</p>
          ) : (
            <p className="notice notice-error">
              The chain is broken at entry {result.problem?.seq ?? '?'}: {result.problem?.reason ?? 'unknown problem'}. Entries from there
              on may have been altered or removed. Tell your headteacher and keep a copy of the database as evidence.
            </p>
          ))}
      </div>
    </section>
  );
}
