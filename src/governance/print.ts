import type { Block, PrintDocument } from '../export/document.js';
import { localDate } from '../monitor/reports/period.js';
import { changeText, dayText, figureText, type TermlyReport } from './wire.js';

/** The report as a printable document, written out as both the HTML and the PDF download. */
export function reportDocument(report: TermlyReport): PrintDocument {
  const { term, previousTerm } = report;
  const covers = `${dayText(term.firstDay)} to ${dayText(term.throughDay)}${term.toDate ? ' (the term so far)' : ''}`;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: `This report covers ${covers} and compares each figure with the ${previousTerm.label.toLowerCase()} (${dayText(previousTerm.firstDay)} to ${dayText(previousTerm.lastDay)}). It holds counts only: no names, references or anything anyone wrote. Small numbers can still point to a person beside what readers already know, so keep it with the governing board's confidential papers.`,
    },
  ];
  for (const section of report.sections) {
    blocks.push({ kind: 'heading', level: 2, text: section.title });
    blocks.push({ kind: 'paragraph', text: section.about });
    if (section.facts.length > 0) blocks.push({ kind: 'facts', items: section.facts });
    for (const table of section.tables) {
      blocks.push({
        kind: 'table',
        caption: table.caption,
        columns: [table.rowHeading, term.label, previousTerm.label, 'Change'],
        rows: table.rows.map((row) => [row.label, figureText(row.current), figureText(row.previous), changeText(row)]),
        ...(table.note ? { note: table.note } : {}),
        widths: [3, 2, 2, 2],
      });
    }
  }
  return {
    title: "Governors' termly report",
    subtitle: `${report.schoolName}: ${term.label}`,
    blocks,
    footer: `Generated ${dayText(localDate(new Date(report.generatedAt)))} by Tutela. Anonymised; confidential to the governing board.`,
  };
}
