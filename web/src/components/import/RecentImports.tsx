import { ApiError, api } from '../../api';
import { formatDateTime } from '../../labels';
import { useApi } from '../hooks';
import { TableWrap } from '../TableWrap';
import { IMPORT_KINDS } from './common';
import { useSchool } from '../../school';

const STATUS: Record<string, string> = { dry_run: 'Trial run', applied: 'Applied', rejected: 'Rejected' };

/** The last few imports, so a second person can see what was done before running another. */
export function RecentImports() {
  const { schoolId } = useSchool();
  const runs = useApi(() => api.importRuns(10, schoolId), [schoolId]);
  // The list is a convenience: if the server cannot give it, the wizard still works.
  if (runs.error instanceof ApiError || !runs.data?.length) return null;
  return (
    <section aria-labelledby="recent-imports">
      <h2 id="recent-imports">Recent imports</h2>
      <TableWrap label="Recent imports">
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Kind</th>
              <th scope="col">File</th>
              <th scope="col">By</th>
              <th scope="col">Result</th>
              <th scope="col">Summary</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.slice(0, 10).map((run) => (
              <tr key={run.id}>
                <th scope="row">{formatDateTime(run.createdAt)}</th>
                <td>{IMPORT_KINDS[run.kind as keyof typeof IMPORT_KINDS]?.label ?? run.kind}</td>
                <td>{run.fileName}</td>
                <td>{run.createdBy ?? '—'}</td>
                <td>{STATUS[run.status] ?? run.status}</td>
                <td>
                  {run.status === 'rejected'
                    ? `${run.errorCount} problem${run.errorCount === 1 ? '' : 's'}`
                    : `${run.rows} rows: ${run.created} new, ${run.updated} updated, ${run.left} left`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
