import { useState } from 'react';
import { Link } from 'react-router-dom';
import { RULES } from '../../../../src/access/policy';
import { useAnnounce } from '../../components/Announcer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { NotAllowed } from '../../components/NotAllowed';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { useApi } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import { useMe } from '../../session';
import { categoryLabel } from './labels';
import { type DueIncident, RECORD_TYPE_LABELS, type RetentionRunResult, recordsApi } from './recordsApi';

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

function DueTable({ label, incidents }: { label: string; incidents: DueIncident[] }) {
  if (incidents.length === 0) return <p>None.</p>;
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            <th scope="col">Reference</th>
            <th scope="col">Category</th>
            <th scope="col">Record type</th>
            <th scope="col">Closed</th>
            <th scope="col">Due</th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((i) => (
            <tr key={i.id}>
              <th scope="row">
                <Link to={`/incidents/${encodeURIComponent(i.id)}`}>{i.reference}</Link>
              </th>
              <td>{categoryLabel(i.category)}</td>
              <td>{RECORD_TYPE_LABELS[i.recordType]}</td>
              <td>{day(i.closedAt)}</td>
              <td>{day(i.dueAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The archived incidents, read-only: out of the working list, still there for those allowed. */
function ArchivedIncidents() {
  const archived = useApi(() => recordsApi.archived(), []);
  return (
    <section aria-labelledby="retention-archived">
      <h2 id="retention-archived">Archived incidents</h2>
      <ErrorNotice error={archived.error} action="see archived incidents" />
      {archived.data && archived.data.length === 0 && <p>No incident has been archived.</p>}
      {archived.data && archived.data.length > 0 && (
        <ul className="plain-list" aria-label="Archived incidents">
          {archived.data.map((i) => (
            <li key={i.id}>
              <Link to={`/incidents/${encodeURIComponent(i.id)}`}>{i.reference}</Link> {categoryLabel(i.category)}: {i.summary}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The retention job: what it would archive, past runs, and archived incidents. */
export function Retention() {
  const me = useMe();
  const allowed = RULES['incident.retention.manage'].roles.some((r) => me.roles.includes(r));
  if (!allowed) {
    return (
      <NotAllowed
        title="Retention"
        message="Retention is managed by the designated safeguarding lead and the headteacher"
        action="manage retention"
      />
    );
  }
  return <RetentionPage />;
}

function RetentionPage() {
  const announce = useAnnounce();
  const status = useApi(() => recordsApi.retention(), []);
  const [showArchived, setShowArchived] = useState(false);
  const [result, setResult] = useState<RetentionRunResult | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await recordsApi.runRetention(dryRun);
      setResult(answer);
      setConfirming(false);
      announce(
        dryRun ? `Dry run: ${answer.incidents.length} incidents would be archived.` : `${answer.incidents.length} incidents archived.`,
      );
      if (!dryRun) status.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const rules = status.data?.rules;
  const totalDue = status.data ? Object.values(status.data.dueCounts).reduce((a, b) => a + b, 0) : 0;
  const hiddenDue = totalDue - (status.data?.due.length ?? 0);
  return (
    <Page
      title="Retention"
      lead="Closed incidents past their retention period are archived: taken out of the working lists and kept read-only. Nothing is ever deleted by Tutela."
    >
      <p>
        <Link to="/incidents">Back to incidents</Link>
      </p>
      <ErrorNotice error={status.error} action="see retention" />
      {rules && (
        <section aria-labelledby="retention-rules">
          <h2 id="retention-rules">Periods in force</h2>
          <TableWrap label="Retention periods">
            <table>
              <thead>
                <tr>
                  <th scope="col">Record type</th>
                  <th scope="col">Kept until</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">{RECORD_TYPE_LABELS.student_safeguarding}</th>
                  <td>{rules.studentYearsAfterBirth} years after the student's date of birth</td>
                </tr>
                <tr>
                  <th scope="row">{RECORD_TYPE_LABELS.student_misuse}</th>
                  <td>{rules.misuseYearsAfterClose} years after the incident was closed</td>
                </tr>
                <tr>
                  <th scope="row">{RECORD_TYPE_LABELS.staff}</th>
                  <td>{rules.staffYearsAfterClose} years after the incident was closed (at least; see the guidance)</td>
                </tr>
              </tbody>
            </table>
          </TableWrap>
          <p className="hint">
            {rules.jobHours > 0 ? `The job also runs by itself every ${rules.jobHours} hours.` : 'The scheduled job is turned off.'} Open
            incidents are never archived. Destroying a record at the end of its period is a separate decision for people.
          </p>
        </section>
      )}

      {status.data && (
        <section aria-labelledby="retention-due">
          <h2 id="retention-due">Due for archiving now ({totalDue})</h2>
          <DueTable label="Due for archiving" incidents={status.data.due} />
          {hiddenDue > 0 && (
            <p className="hint">
              And {hiddenDue} more you may not read (incidents about staff are for the headteacher and HR); a run archives them too.
            </p>
          )}
          <div className="button-row">
            <button type="button" className="secondary" disabled={busy} onClick={() => run(true)}>
              Dry run
            </button>
            {!confirming ? (
              <button type="button" disabled={busy || totalDue === 0} onClick={() => setConfirming(true)}>
                Archive now…
              </button>
            ) : null}
          </div>
          {confirming && (
            <div className="notice" role="alertdialog" aria-labelledby="retention-confirm">
              <p id="retention-confirm">Archive {totalDue} incidents? They leave the working lists and can no longer be changed.</p>
              <div className="button-row">
                <button type="button" className="danger" disabled={busy} onClick={() => run(false)}>
                  Yes, archive them
                </button>
                <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </div>
            </div>
          )}
          <ErrorNotice error={error} action="run the retention job" />
          {result && (
            <section aria-labelledby="retention-result">
              <h3 id="retention-result">
                {result.dryRun ? 'Dry run: would archive' : 'Archived'} ({Object.values(result.counts).reduce((a, b) => a + b, 0)})
              </h3>
              <DueTable label={result.dryRun ? 'Would be archived' : 'Archived now'} incidents={result.incidents} />
              {result.dryRun && <p>Nothing was changed.</p>}
            </section>
          )}
        </section>
      )}

      {status.data && (
        <section aria-labelledby="retention-runs">
          <h2 id="retention-runs">Past runs</h2>
          {status.data.runs.length === 0 ? (
            <p>The job has not run yet.</p>
          ) : (
            <TableWrap label="Past runs">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">By</th>
                    <th scope="col">Archived</th>
                  </tr>
                </thead>
                <tbody>
                  {status.data.runs.map((r) => (
                    <tr key={r.id}>
                      <td>{formatDateTime(r.ranAt)}</td>
                      <td>{r.ranBy === 'retention-job' ? 'Scheduled job' : r.ranBy}</td>
                      <td>
                        {r.archived} ({r.counts.student_safeguarding} safeguarding, {r.counts.student_misuse} misuse, {r.counts.staff}{' '}
                        staff)
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          <p>
            {status.data.archivedCount} incidents are archived.{' '}
            <button type="button" className="secondary" aria-expanded={showArchived} onClick={() => setShowArchived((s) => !s)}>
              {showArchived ? 'Hide archived incidents' : 'Show archived incidents'}
            </button>
          </p>
          {showArchived && <ArchivedIncidents />}
        </section>
      )}
    </Page>
  );
}
