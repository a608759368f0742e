/**
 * School terms as the governors' report names them. The months are the incident figures' rule
 * (termOf): autumn September–December, spring January–March, summer April–August. The report
 * cuts them at Europe/London midnight, so a term starts when it starts for the school.
 */
import { AppError } from '../errors/errors.js';
import { addDays, localDate, SCHOOL_TIME_ZONE, startOfDay } from '../monitor/reports/period.js';
import { type Term, termOf } from '../safeguarding/insight/stats.js';

export interface SchoolTerm {
  /** `autumn-2026`: the term and the calendar year it starts in. */
  id: string;
  season: Term;
  /** "Autumn term 2026". */
  label: string;
  /** The academic-year name the incident figures use, such as "2026-27 autumn". */
  academicName: string;
  /** Local dates (YYYY-MM-DD), first and last day. */
  firstDay: string;
  lastDay: string;
  /** The instant the first day starts, inclusive, and the instant after the last day ends, exclusive. */
  start: Date;
  end: Date;
}

const FIRST_MONTH: Record<Term, number> = { autumn: 9, spring: 1, summer: 4 };
const pad = (n: number) => String(n).padStart(2, '0');

export const TERM_ID_EXAMPLE = 'autumn-2026';

function schoolTerm(season: Term, year: number): SchoolTerm {
  const firstDay = `${year}-${pad(FIRST_MONTH[season])}-01`;
  const next = nextTermStart(season, year);
  const lastDay = addDays(next, -1);
  return {
    id: `${season}-${year}`,
    season,
    label: `${season[0]!.toUpperCase()}${season.slice(1)} term ${year}`,
    // Mid-month, so the month termOf reads is the term's own whatever the clocks say.
    academicName: termOf(new Date(Date.UTC(year, FIRST_MONTH[season] - 1, 15))),
    firstDay,
    lastDay,
    start: startOfDay(firstDay, SCHOOL_TIME_ZONE),
    end: startOfDay(next, SCHOOL_TIME_ZONE),
  };
}

function nextTermStart(season: Term, year: number): string {
  if (season === 'autumn') return `${year + 1}-01-01`;
  return season === 'spring' ? `${year}-04-01` : `${year}-09-01`;
}

/** The term an instant falls in, by the school's local date. */
export function termAt(at: Date): SchoolTerm {
  const [year, month] = localDate(at, SCHOOL_TIME_ZONE).split('-').map(Number) as [number, number];
  const season: Term = month >= 9 ? 'autumn' : month <= 3 ? 'spring' : 'summer';
  return schoolTerm(season, year);
}

/** The term before: summer comes before autumn, autumn before the next year's spring. */
export function previousTerm(term: SchoolTerm): SchoolTerm {
  const year = Number(term.id.slice(term.season.length + 1));
  if (term.season === 'autumn') return schoolTerm('summer', year);
  return term.season === 'spring' ? schoolTerm('autumn', year - 1) : schoolTerm('spring', year);
}

/**
 * A term from the query string; a term that has not started yet is refused, since its report
 * would only be empty.
 *
 * @example
 *   termById('spring-2027', now); // 1 January to 31 March 2027
 */
export function termById(id: string, now: Date): SchoolTerm {
  const match = /^(autumn|spring|summer)-(\d{4})$/.exec(id);
  const year = match ? Number(match[2]) : 0;
  if (!match || year < 2000 || year > 2999) {
    throw new AppError(
      'validation_failed',
      `term must name a school term as autumn, spring or summer and the year it starts in, such as ${TERM_ID_EXAMPLE}; got "${id}"`,
    );
  }
  const term = schoolTerm(match[1] as Term, year);
  if (term.start > now) throw new AppError('validation_failed', `The ${term.label.toLowerCase()} has not started yet`);
  return term;
}

/** The current term and the ones before it, newest first: what the report's term picker offers. */
export function recentTerms(now: Date, count = 6): SchoolTerm[] {
  const terms = [termAt(now)];
  while (terms.length < count) terms.push(previousTerm(terms[terms.length - 1]!));
  return terms;
}
