import { TableWrap } from '../../../components/TableWrap';
import { changeText, figureText, type FigureTable, type ReportSection as Section } from '../../../../../src/governance/wire';

function Figures({
  table,
  sectionId,
  index,
  thisTerm,
  lastTerm,
}: {
  table: FigureTable;
  sectionId: string;
  index: number;
  thisTerm: string;
  lastTerm: string;
}) {
  const id = `report-${sectionId}-${index}`;
  return (
    <div className="report-table">
      <h3 id={id}>{table.caption}</h3>
      {table.rows.length === 0 ? (
        <p>Nothing to count in either term.</p>
      ) : (
        <TableWrap label={table.caption}>
          <table aria-labelledby={id}>
            <thead>
              <tr>
                <th scope="col">{table.rowHeading}</th>
                <th scope="col" className="num">
                  {thisTerm}
                </th>
                <th scope="col" className="num">
                  {lastTerm}
                </th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.label}>
                  <th scope="row">{row.label}</th>
                  <td className="num">{figureText(row.current)}</td>
                  <td className="num">{figureText(row.previous)}</td>
                  <td>{changeText(row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {table.note && <p className="hint">{table.note}</p>}
    </div>
  );
}

/** One part of the report: what it is drawn from, its standing facts, and its tables of this term beside last term. */
export function ReportSection({ section, thisTerm, lastTerm }: { section: Section; thisTerm: string; lastTerm: string }) {
  const headingId = `report-${section.id}`;
  return (
    <section className="report-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{section.title}</h2>
      <p className="hint">{section.about}</p>
      {section.facts.length > 0 && (
        <dl className="report-facts">
          {section.facts.map((fact) => (
            <div key={fact.label}>
              <dt>{fact.label}</dt>
              <dd>{fact.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {section.tables.map((table, i) => (
        <Figures key={table.caption} table={table} sectionId={section.id} index={i} thisTerm={thisTerm} lastTerm={lastTerm} />
      ))}
    </section>
  );
}
