import { useState } from 'react';
import { Badge } from '../../../components/Badge';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useChange } from '../../../components/hooks';
import { TableWrap } from '../../../components/TableWrap';
import { formatDateTime } from '../../../labels';
import { reviewApi } from './reviewApi';
import type { StepProps } from './ReviewRecord';

const ALL = '';

/** The automatic checks: run them against the live filter now, and read the latest results with failures first. */
export function ChecksStep({ review, editable, onSaved }: StepProps) {
  const change = useChange();
  const [profile, setProfile] = useState(ALL);
  const run = review.latestRun;
  const runNow = () =>
    change.run(async () => {
      await reviewApi.runChecks(review.id);
      onSaved(await reviewApi.get(review.id));
    }, 'Automatic checks finished');
  const shown = run ? run.results.filter((r) => profile === ALL || r.profileName === profile) : [];
  return (
    <>
      <p>
        Each profile is asked for the locked lists' test addresses, for sample sites of every category the filter has a list for, and each
        monitoring category's test phrase goes through the keyword library. Locked and harmful content must be blocked for every pupil
        profile; other categories must do what the profile's rules say now.
      </p>
      {editable && (
        <div className="button-row">
          <button type="button" onClick={() => void runNow()} disabled={change.busy}>
            {change.busy ? 'Running checks…' : 'Run checks now'}
          </button>
        </div>
      )}
      <ErrorNotice error={change.error} action="run the automatic checks" />
      {!run ? (
        <p>The automatic checks have not been run for this review yet.</p>
      ) : (
        <>
          <p role="status" className="review-run-summary">
            Last run {formatDateTime(run.runAt)}
            {run.runByName ? ` by ${run.runByName}` : ''}: <strong>{run.passed} passed</strong>,{' '}
            <strong className={run.failed ? 'review-failed-count' : ''}>{run.failed} failed</strong>.
          </p>
          <ul className="review-groups">
            {run.groups.map((g) => (
              <li key={g.profileName}>
                {g.profileName}: {g.passed} passed
                {g.failed > 0 && (
                  <>
                    , <Badge tone="bad">{`${g.failed} failed`}</Badge>
                  </>
                )}
              </li>
            ))}
          </ul>
          <div className="field review-filter">
            <label htmlFor="review-profile">Show</label>
            <select id="review-profile" value={profile} onChange={(e) => setProfile(e.target.value)}>
              <option value={ALL}>Every profile</option>
              {run.groups.map((g) => (
                <option key={g.profileName} value={g.profileName}>
                  {g.profileName}
                </option>
              ))}
            </select>
          </div>
          <TableWrap label="Check results">
            <table className="review-results">
              <caption>Check results, failures first</caption>
              <thead>
                <tr>
                  <th scope="col">Result</th>
                  <th scope="col">Profile</th>
                  <th scope="col">Category</th>
                  <th scope="col">Test</th>
                  <th scope="col">Expected</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={`${r.profileName}|${r.category}|${r.target}`} className={r.passed ? undefined : 'review-check-failed'}>
                    <th scope="row">{r.passed ? <Badge tone="good">Passed</Badge> : <Badge tone="bad">Failed</Badge>}</th>
                    <td>{r.profileName}</td>
                    <td>{r.categoryLabel}</td>
                    <td>{r.target || '—'}</td>
                    <td>{r.expected}</td>
                    <td>{r.outcome}</td>
                    <td>{r.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
      {review.runs.length > 1 && (
        <details>
          <summary>Earlier runs ({review.runs.length - 1})</summary>
          <ul>
            {review.runs.slice(1).map((r) => (
              <li key={r.runId}>
                {formatDateTime(r.runAt)}
                {r.runByName ? ` by ${r.runByName}` : ''}: {r.passed} passed, {r.failed} failed
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
