import { useSearchParams } from 'react-router-dom';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi } from '../../components/hooks';
import { Page } from '../../components/Page';
import { dayText } from '../../../../src/governance/wire';
import { reportApi } from './report/reportApi';
import { ReportSection } from './report/ReportSection';
import './report/report.css';

/**
 * The governors' termly report: anonymised figures for a term beside the term before, on
 * screen and as a PDF for the board's papers. The term is in the address, so a link to one
 * term's report stays that term's.
 */
export function TermlyReport() {
  const [params, setParams] = useSearchParams();
  const termId = params.get('term');
  const report = useApi(() => reportApi.get(termId), [termId]);
  const data = report.error ? undefined : report.data;

  return (
    <Page
      title="Governors' termly report"
      lead="What the monitoring group reports to governors each term: incidents, filtering changes, agreements, training and monitoring alerts. Counts only, never a name, a reference or anything anyone wrote."
    >
      {data && (
        <form className="filters" aria-label="Choose a term" onSubmit={(e) => e.preventDefault()}>
          <div className="field field-wide">
            <label htmlFor="report-term">Term</label>
            <select id="report-term" value={data.term.id} onChange={(e) => setParams({ term: e.target.value })}>
              {data.terms.map((t, i) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                  {i === 0 ? ' (current)' : ''}
                </option>
              ))}
            </select>
          </div>
        </form>
      )}
      <ErrorNotice error={report.error} action="see the governors' termly report" />
      {report.error && termId !== null ? (
        <p>
          <button type="button" className="secondary" onClick={() => setParams({})}>
            Show the current term
          </button>
        </p>
      ) : null}
      {report.loading && <p role="status">Loading the report…</p>}
      {data && (
        <>
          <p role="status" className="result-count">
            {data.term.label}: {dayText(data.term.firstDay)} to {dayText(data.term.throughDay)}
            {data.term.toDate ? ' (the term so far)' : ''}, compared with the {data.previousTerm.label.toLowerCase()}.
          </p>
          <p className="report-downloads">
            <a className="button" href={reportApi.pdfUrl(data.term.id)} download>
              Download PDF
            </a>
            <a className="button secondary" href={reportApi.htmlUrl(data.term.id)} target="_blank" rel="noreferrer">
              Open the printable page
            </a>
          </p>
          <p className="hint">
            Small numbers can still point to a person when put beside what you already know. Keep the report with the governing board's
            confidential papers.
          </p>
          {data.sections.map((section) => (
            <ReportSection key={section.id} section={section} thisTerm={data.term.label} lastTerm={data.previousTerm.label} />
          ))}
        </>
      )}
    </Page>
  );
}
