import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Badge } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { useApi } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import type { FilterReport } from '../../types';
import { categoryLabel, ruleLabel } from './labels';
import { WhenLoaded, useChange, useFilterApi } from './parts';

const KIND_LABELS = { overblocked: 'Should not be blocked', underblocked: 'Should be blocked' } as const;

/** The queue of over- and under-blocking reports from the block page. */
export function Reports() {
  const filter = useFilterApi();
  const [status, setStatus] = useState('open');
  const reports = useApi(() => filter.reports(status || undefined), [filter, status]);
  return (
    <Page
      title="Reported sites"
      lead="Reports from the block page that a site is wrongly blocked, or should be blocked. Resolve each one, or dismiss it."
    >
      <form className="filters" aria-label="Which reports" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="reports-status">Show</label>
          <select id="reports-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="open">Open reports</option>
            <option value="resolved">Resolved</option>
            <option value="dismissed">Dismissed</option>
            <option value="">All</option>
          </select>
        </div>
      </form>
      <WhenLoaded state={reports} what="reports">
        {(rows) =>
          rows.length === 0 ? (
            <p role="status">No reports.</p>
          ) : (
            <TableWrap label="Reports">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Site</th>
                    <th scope="col">Report</th>
                    <th scope="col">Category and rule</th>
                    <th scope="col">Comment</th>
                    <th scope="col">From</th>
                    <th scope="col">When</th>
                    <th scope="col">Decision</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <ReportRow key={r.id} report={r} onChanged={reports.reload} />
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )
        }
      </WhenLoaded>
    </Page>
  );
}

function ReportRow({ report: r, onChanged }: { report: FilterReport; onChanged: () => void }) {
  const filter = useFilterApi();
  const [note, setNote] = useState('');
  const { id: linked } = useParams();
  const { busy, error, run } = useChange();
  const decide = async (status: 'resolved' | 'dismissed') => {
    if (await run(() => filter.resolveReport(r.id, status, note.trim()), `Report on ${r.target} ${status}.`)) onChanged();
  };
  return (
    <tr className={linked === r.id ? 'highlighted' : undefined} aria-current={linked === r.id ? 'true' : undefined}>
      <th scope="row">{r.target}</th>
      <td>
        <Badge tone={r.kind === 'overblocked' ? 'warn' : 'bad'}>{KIND_LABELS[r.kind] ?? r.kind}</Badge>
      </td>
      <td>
        {r.category ? categoryLabel(r.category) : '—'}
        {r.rule && <span className="hint">{ruleLabel(r.rule)}</span>}
      </td>
      <td>{r.comment || '—'}</td>
      <td>{r.reportedBy?.name ?? r.clientAddress ?? '—'}</td>
      <td>{formatDateTime(r.createdAt)}</td>
      <td>
        {r.status === 'open' ? (
          <div className="decision">
            <div className="field">
              <label htmlFor={`report-note-${r.id}`}>Note on {r.target}</label>
              <input id={`report-note-${r.id}`} value={note} onChange={(e) => setNote(e.target.value)} autoComplete="off" />
            </div>
            <div className="button-row compact">
              <button
                type="button"
                className="small"
                disabled={busy || !note.trim()}
                onClick={() => void decide('resolved')}
                aria-label={`Resolve the report on ${r.target}`}
              >
                Resolve
              </button>
              <button
                type="button"
                className="secondary small"
                disabled={busy || !note.trim()}
                onClick={() => void decide('dismissed')}
                aria-label={`Dismiss the report on ${r.target}`}
              >
                Dismiss
              </button>
            </div>
            <ErrorNotice error={error} />
          </div>
        ) : (
          <span>
            {r.status}
            {r.resolutionNote ? `: ${r.resolutionNote}` : ''}
          </span>
        )}
      </td>
    </tr>
  );
}
