/**
 * The governors' termly report as the API sends it, and the wording of its figures. Plain types
 * and functions, so the web screen and the printed report say the same thing the same way.
 */

/** A count, or a count out of a whole ("12 of 20"), such as people who accepted of those who must. */
export interface Figure {
  count: number;
  of?: number;
}

/** One line of a table: this term beside last term. Labels are fixed wording, never what someone wrote. */
export interface FigureRow {
  label: string;
  current: Figure;
  previous: Figure;
}

/** One dimension per table: combining dimensions is how a child is recognised. */
export interface FigureTable {
  caption: string;
  /** What the rows are, as the first column's heading. */
  rowHeading: string;
  rows: FigureRow[];
  note?: string;
}

export interface ReportFact {
  label: string;
  value: string;
}

export type SectionId = 'incidents' | 'filtering' | 'agreements' | 'training' | 'alerts' | 'policy';

export interface ReportSection {
  id: SectionId;
  title: string;
  /** Where the figures come from, in a sentence. */
  about: string;
  facts: ReportFact[];
  tables: FigureTable[];
}

export interface TermView {
  id: string;
  label: string;
  /** Local dates, YYYY-MM-DD. */
  firstDay: string;
  lastDay: string;
}

export interface TermlyReport {
  schoolName: string;
  term: TermView & {
    /** The last day the figures cover: today while the term is still running. */
    throughDay: string;
    toDate: boolean;
  };
  previousTerm: TermView;
  generatedAt: string;
  sections: ReportSection[];
  /** The terms a reader may pick, newest first. */
  terms: TermView[];
}

/** "12", or "12 of 20 (60%)"; "0 of 0" when no one was asked. */
export function figureText(f: Figure): string {
  if (f.of === undefined) return String(f.count);
  return f.of === 0 ? `${f.count} of 0` : `${f.count} of ${f.of} (${percent(f.count, f.of)}%)`;
}

const percent = (count: number, of: number) => Math.round((count / of) * 100);

/**
 * "Up 2", "Down 1" or "Same"; for a share, the change in percentage points, since "3 more
 * accepted" means little when the number who must accept changed too.
 */
export function changeText(row: FigureRow): string {
  const { current, previous } = row;
  if (current.of !== undefined && previous.of !== undefined) {
    if (current.of === 0 || previous.of === 0) return current.of === previous.of ? 'Same' : 'Not comparable';
    const points = percent(current.count, current.of) - percent(previous.count, previous.of);
    return points === 0 ? 'Same' : `${points > 0 ? 'Up' : 'Down'} ${Math.abs(points)} ${Math.abs(points) === 1 ? 'point' : 'points'}`;
  }
  const diff = current.count - previous.count;
  return diff === 0 ? 'Same' : `${diff > 0 ? 'Up' : 'Down'} ${Math.abs(diff)}`;
}

export { dayText } from '../export/dates.js';
