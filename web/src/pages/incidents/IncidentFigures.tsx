import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi } from '../../components/hooks';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { formatLongDate, yearLabel } from '../../labels';
import { type DayRange, figuresApi, type IncidentStats, lastTwelveMonths } from './figuresApi';
import { categoryLabel } from './labels';

const SUBJECT_KINDS: Record<string, string> = { student: 'About students', staff: 'About staff' };
const OUTCOMES: Record<string, string> = {
  open: 'Still open',
  closed: 'Closed',
  substantiated: 'Investigated: substantiated',
  not_substantiated: 'Investigated: not substantiated',
  under_investigation: 'Investigation under way',
  no_investigation: 'No investigation',
};
const TERMS: Record<string, string> = { autumn: 'Autumn', spring: 'Spring', summer: 'Summer' };

/** "2026-27 autumn" as "Autumn term 2026-27". */
const termLabel = (key: string) => {
  const [year, term] = key.split(' ');
  return term ? `${TERMS[term] ?? term} term ${year}` : key;
};
const yearGroupLabel = (key: string) => (key === 'unknown' ? 'Year not recorded' : yearLabel(Number(key)));

/** The change from the previous period in words, so it does not rest on colour or an arrow. */
function trend(now: number, before: number): string {
  if (now === before) return 'Same';
  return now > before ? `Up ${now - before}` : `Down ${before - now}`;
}

/** The last day of a [from, to) period, for people who think in inclusive dates. */
const lastDay = (to: string) => formatLongDate(new Date(new Date(to).getTime() - 1).toISOString());

interface Dimension {
  id: string;
  caption: string;
  heading: string;
  hint?: string;
  current: Record<string, number>;
  previous: Record<string, number>;
  label: (key: string) => string;
  /** Rows in this order first; the rest follow sorted by label. */
  order?: readonly string[];
}

function rowsOf(d: Dimension): string[] {
  const keys = new Set([...(d.order ?? []), ...Object.keys(d.current), ...Object.keys(d.previous)]);
  const ordered = (d.order ?? []).filter((k) => keys.has(k));
  const rest = [...keys].filter((k) => !ordered.includes(k)).sort((a, b) => d.label(a).localeCompare(d.label(b), 'en', { numeric: true }));
  return [...ordered, ...rest];
}

function CountsTable({ d }: { d: Dimension }) {
  const rows = rowsOf(d);
  return (
    <section aria-labelledby={`figures-${d.id}`}>
      <h2 id={`figures-${d.id}`}>{d.caption}</h2>
      {d.hint && <p className="hint">{d.hint}</p>}
      {rows.length === 0 ? (
        <p>No incidents in either period.</p>
      ) : (
        <TableWrap label={d.caption}>
          <table>
            {/* The heading above says the same for sighted readers; the caption names the table in a table list. */}
            <caption className="visually-hidden">{d.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{d.heading}</th>
                <th scope="col" className="num">
                  This period
                </th>
                <th scope="col" className="num">
                  Previous period
                </th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((key) => {
                const now = d.current[key] ?? 0;
                const before = d.previous[key] ?? 0;
                return (
                  <tr key={key}>
                    <th scope="row">{d.label(key)}</th>
                    <td className="num">{now}</td>
                    <td className="num">{before}</td>
                    <td>{trend(now, before)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

function dimensionsOf(stats: IncidentStats): Dimension[] {
  const { current, previous } = stats;
  return [
    {
      id: 'category',
      heading: 'Category',
      caption: 'Incidents by category',
      current: current.byCategory,
      previous: previous.byCategory,
      label: categoryLabel,
    },
    {
      id: 'subject',
      heading: 'Who it was about',
      caption: 'Incidents about students and about staff',
      current: current.bySubjectKind,
      previous: previous.bySubjectKind,
      label: (k) => SUBJECT_KINDS[k] ?? k,
      order: ['student', 'staff'],
    },
    {
      id: 'year',
      heading: 'Year group',
      caption: 'Incidents about students by year group',
      hint: 'An incident about students of two year groups counts once in each.',
      current: current.byYearGroup,
      previous: previous.byYearGroup,
      label: yearGroupLabel,
    },
    {
      id: 'outcome',
      heading: 'Outcome',
      caption: 'Incidents by status and by investigation conclusion',
      current: { ...current.byOutcome, ...current.byConclusion },
      previous: { ...previous.byOutcome, ...previous.byConclusion },
      label: (k) => OUTCOMES[k] ?? k,
      order: Object.keys(OUTCOMES),
    },
    {
      id: 'term',
      heading: 'Term',
      caption: 'Incidents by school term',
      current: current.byTerm,
      previous: previous.byTerm,
      label: termLabel,
    },
  ];
}

function Summary({ stats }: { stats: IncidentStats }) {
  const { current, previous, period, previousPeriod } = stats;
  const incidents = (n: number) => (n === 1 ? '1 incident' : `${n} incidents`);
  return (
    <p role="status" className="result-count">
      {incidents(current.total)} from {formatLongDate(period.from)} to {lastDay(period.to)}, against {incidents(previous.total)} in the same
      length of time before ({formatLongDate(previousPeriod.from)} to {lastDay(previousPeriod.to)}). Change:{' '}
      {trend(current.total, previous.total).toLowerCase()}.
    </p>
  );
}

/** The governors' view: anonymised incident counts with trends, and the anonymised log export. */
export function IncidentFigures() {
  const [draft, setDraft] = useState<DayRange>(() => lastTwelveMonths(new Date()));
  const [range, setRange] = useState<DayRange>(draft);
  const stats = useApi(() => figuresApi.stats(range), [range.from, range.to]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setRange(draft);
  };

  return (
    <Page
      title="Incident figures"
      lead="How many safeguarding incidents the school logged, counted one way at a time, with the period before for comparison. Numbers only: never a name, a reference or anything anyone wrote."
    >
      <form className="filters" aria-label="Period" onSubmit={apply}>
        <div className="field field-wide">
          <label htmlFor="figures-from">From</label>
          <input id="figures-from" type="date" required value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </div>
        <div className="field field-wide">
          <label htmlFor="figures-to">To</label>
          <input id="figures-to" type="date" required value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </div>
        <div className="field field-action">
          <button type="submit">Show figures</button>
        </div>
      </form>
      <ErrorNotice error={stats.error} action="see incident figures" />
      {stats.loading && <p role="status">Loading figures…</p>}
      {stats.data && !stats.error && (
        <>
          <Summary stats={stats.data} />
          <p>
            <a className="button secondary" href={figuresApi.anonymisedLogCsvUrl(range)} download>
              Download the anonymised incident log (CSV)
            </a>
          </p>
          <p className="hint">
            The log has one row per incident with its month (never the day), category, year groups, urgency, status, investigation
            conclusion and the actions taken. Small numbers can still point to a child when put beside what you know, so keep the figures
            and the log confidential to the governing board.
          </p>
          {dimensionsOf(stats.data).map((d) => (
            <CountsTable key={d.id} d={d} />
          ))}
        </>
      )}
    </Page>
  );
}
