import { type FormEvent, useId, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { useApi, useSubmit } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import { type ReportKind, type ReportListItem, reportsApi } from './reportsApi';
import { longDate } from '../../../../src/monitor/reports/dates';
import './reports.css';

/** "Tuesday 14 July 2026" from a calendar date, whatever the browser's zone. */

const reportName = (r: Pick<ReportListItem, 'kind' | 'firstDate' | 'lastDate'>) =>
  r.kind === 'daily' ? `Daily summary, ${longDate(r.firstDate)}` : `Weekly report, ${longDate(r.firstDate)} to ${longDate(r.lastDate)}`;

function RunForm() {
  const navigate = useNavigate();
  const ids = { date: useId() };
  const [date, setDate] = useState('');
  const { busy, error, run } = useSubmit();

  const start = (kind: ReportKind) =>
    run(async () => {
      const made = await reportsApi.run(kind, date);
      const message = made.created
        ? `${kind === 'daily' ? 'Daily summary' : 'Weekly report'} made: e-mailed to ${made.emailedTo === 1 ? '1 person' : `${made.emailedTo} people`} and shown in the app to every designated safeguarding lead.`
        : `That ${kind === 'daily' ? 'summary' : 'report'} was made before, on ${formatDateTime(made.createdAt)}; it was not sent again.`;
      // The report page shows the message in a status region, which screen readers announce.
      navigate(`/monitoring/reports/${encodeURIComponent(made.id)}`, { state: { note: message } });
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void start('daily');
  };

  return (
    <form className="panel reports-run" aria-label="Run a report" onSubmit={submit}>
      <div className="field">
        <label htmlFor={ids.date}>Day (optional)</label>
        <span className="hint" id={`${ids.date}-hint`}>
          Leave empty for yesterday's summary and last week's report. A day of a week picks that week.
        </span>
        <input id={ids.date} type="date" value={date} onChange={(e) => setDate(e.target.value)} aria-describedby={`${ids.date}-hint`} />
      </div>
      <div className="button-row">
        <button type="submit" disabled={busy}>
          {busy ? 'Working…' : 'Run daily summary now'}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => void start('weekly')}>
          Run weekly report now
        </button>
      </div>
      <ErrorNotice error={error} action="run a report" />
    </form>
  );
}

/** The reports made so far, newest first, and the buttons that make one now. */
export function Reports() {
  const reports = useApi(() => reportsApi.list(), []);
  return (
    <Page
      title="Reports"
      lead="The daily internet-usage summary and the weekly monitoring report go to the designated safeguarding leads by e-mail (without pupils' names) and appear here with names, charts and links to each alert."
    >
      <RunForm />
      <section aria-labelledby="reports-made">
        <h2 id="reports-made">Reports made</h2>
        <ErrorNotice error={reports.error} action="see the reports" />
        {reports.data && reports.data.length === 0 && <p>No report has been made yet.</p>}
        {reports.data && reports.data.length > 0 && (
          <TableWrap label="Reports made">
            <table>
              <thead>
                <tr>
                  <th scope="col">Report</th>
                  <th scope="col">Made</th>
                  <th scope="col">E-mailed to</th>
                </tr>
              </thead>
              <tbody>
                {reports.data.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <Link to={`/monitoring/reports/${encodeURIComponent(r.id)}`}>{reportName(r)}</Link>
                    </th>
                    <td>{formatDateTime(r.createdAt)}</td>
                    <td>{r.emailedTo === 1 ? '1 person' : `${r.emailedTo} people`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </Page>
  );
}

/**
 * One report: the server's printable page shown in a frame, so the app, the e-mail and the
 * printout are the same document. The frame runs no script; links in it open in the app.
 */
export function ReportPage() {
  const { id = '' } = useParams();
  const note = (useLocation().state as { note?: string } | null)?.note;
  const frame = useRef<HTMLIFrameElement>(null);
  const page = useApi(() => reportsApi.html(id), [id]);
  const [height, setHeight] = useState(800);
  const title = page.data ? new DOMParser().parseFromString(page.data, 'text/html').title || 'Report' : 'Report';
  // Links inside the report leave the frame for the app itself.
  const srcDoc = page.data?.replace('<head>', '<head><base target="_top">');

  return (
    <Page title={title}>
      <p>
        <Link to="/monitoring/reports">Back to the reports</Link>
      </p>
      <ErrorNotice error={page.error} action="read this report" />
      {note && (
        <p className="notice" role="status">
          {note}
        </p>
      )}
      {srcDoc && (
        <>
          <div className="button-row">
            <button type="button" onClick={() => frame.current?.contentWindow?.print()}>
              Print
            </button>
            <a className="button secondary" href={reportsApi.htmlUrl(id)} target="_blank" rel="noopener">
              Open the printable page
            </a>
          </div>
          <iframe
            ref={frame}
            className="report-frame"
            title={title}
            srcDoc={srcDoc}
            sandbox="allow-same-origin allow-modals allow-top-navigation-by-user-activation"
            style={{ height }}
            // The frame grows to the report's length, so the page has one scroll bar, not two.
            onLoad={(e) => setHeight((e.currentTarget.contentDocument?.documentElement.scrollHeight ?? 800) + 24)}
          />
        </>
      )}
    </Page>
  );
}
