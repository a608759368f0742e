import { useState, type FormEvent } from 'react';
import { Badge } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { useApi } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import { useMe } from '../../session';
import { ApiError } from '../../api';
import type { FilterImportRecord, FilterImportReport } from '../../types';
import { categoryLabel, mayDo } from './labels';
import { WhenLoaded, ReasonField, useChange, useFilterApi } from './parts';

const count = new Intl.NumberFormat('en-GB');

/** The categories with how many sites each list holds, where they come from and when they last changed. */
export function Overview() {
  const me = useMe();
  const filter = useFilterApi();
  const lists = useApi(() => filter.lists(), [filter]);
  // The report of an import made on this page; otherwise the last one on record.
  const [report, setReport] = useState<FilterImportReport | null>(null);
  return (
    <Page
      title="Categories and lists"
      lead="What the filter knows about: each category's list of sites, where it comes from and when it was last updated."
    >
      {mayDo(me, 'filter.manage') && (
        <UpdateLists
          onDone={(r) => {
            setReport(r);
            lists.reload();
          }}
        />
      )}
      <WhenLoaded state={lists} what="category lists">
        {(data) => (
          <>
            <ImportReport report={report} record={data.lastImport} />
            <TableWrap label="Category lists">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Category</th>
                    <th scope="col" className="num">
                      Domains
                    </th>
                    <th scope="col" className="num">
                      Addresses
                    </th>
                    <th scope="col">Sources</th>
                    <th scope="col">Last updated</th>
                  </tr>
                </thead>
                <tbody>
                  {data.categories.map((c) => (
                    <tr key={c.category}>
                      <th scope="row">
                        {c.label}
                        {c.locked && (
                          <>
                            {' '}
                            <Badge tone="bad">Locked</Badge>
                          </>
                        )}
                      </th>
                      <td className="num">{count.format(c.domains)}</td>
                      <td className="num">{count.format(c.urls)}</td>
                      <td>{c.sources.length ? c.sources.join(', ') : '—'}</td>
                      <td>{formatDateTime(c.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </WhenLoaded>
    </Page>
  );
}

function UpdateLists({ onDone }: { onDone: (report: FilterImportReport) => void }) {
  const filter = useFilterApi();
  const [reason, setReason] = useState('');
  const { busy, error, run } = useChange();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let report: FilterImportReport | null = null;
    if (await run(async () => (report = await filter.importLists(reason.trim())), 'The category lists have been updated.')) {
      setReason('');
      if (report) onDone(report);
    }
  };
  // A refused import answers with its report: show what was wrong, the lists in force are kept.
  const refused =
    error instanceof ApiError && error.error === 'filter.list_import_failed'
      ? (error.details as FilterImportReport | undefined)
      : undefined;
  return (
    <form className="panel" aria-labelledby="update-heading" onSubmit={submit}>
      <h2 id="update-heading">Update lists now</h2>
      <p className="hint">Fetches the configured lists. A failed or suspiciously small download never replaces the lists in force.</p>
      <ReasonField value={reason} onChange={setReason} />
      <button type="submit" disabled={busy || !reason.trim()}>
        {busy ? 'Updating…' : 'Update lists now'}
      </button>
      <ErrorNotice error={error} action="update the lists" />
      {refused && <p>The lists in force have been kept.</p>}
    </form>
  );
}

const STATUS_LABELS: Record<string, string> = {
  applied: 'Applied',
  unchanged: 'No changes',
  rejected: 'Refused',
  failed: 'Failed',
  running: 'Running',
};

/** Added and removed entries per category, from the last import. */
function ImportReport({ report, record }: { report: FilterImportReport | null; record: FilterImportRecord | null }) {
  const shown = report ?? record?.report ?? null;
  const status = report?.status ?? record?.status;
  if (!shown && !record) return <p>The lists have not been imported yet.</p>;
  const rows = (shown?.categories ?? []).filter((r) => r.added > 0 || r.removed > 0);
  const when = report?.finishedAt ?? record?.finishedAt ?? record?.startedAt;
  const error = report?.error ?? record?.error;
  return (
    <section aria-labelledby="import-heading" className="panel">
      <h2 id="import-heading">Last import</h2>
      <p>
        {status && (
          <Badge tone={status === 'applied' || status === 'unchanged' ? 'good' : status === 'running' ? 'warn' : 'bad'}>
            {STATUS_LABELS[status] ?? status}
          </Badge>
        )}{' '}
        {formatDateTime(when)}
        {shown ? ` · ${count.format(shown.totals.added)} added, ${count.format(shown.totals.removed)} removed` : ''}
      </p>
      {error && <p className="notice notice-error">{error}</p>}
      {rows.length > 0 && (
        <TableWrap label="Changes in the last import">
          <table className="compact-table">
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col" className="num">
                  Added
                </th>
                <th scope="col" className="num">
                  Removed
                </th>
                <th scope="col" className="num">
                  Entries now
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.category}>
                  <th scope="row">{categoryLabel(r.category)}</th>
                  <td className="num">{count.format(r.added)}</td>
                  <td className="num">{count.format(r.removed)}</td>
                  <td className="num">{count.format(r.after.domains + r.after.urls)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
