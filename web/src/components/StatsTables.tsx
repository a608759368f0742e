import { groupKindLabel, keyStageLabel, personKindLabel, yearLabel } from '../labels';
import type { DirectoryStats } from '../types';
import { TableWrap } from './TableWrap';

/** Counts only: this is what governors see, so it must never take names. */
export function StatsTables({ stats, level = 2 }: { stats: DirectoryStats; level?: 2 | 3 }) {
  const H = level === 2 ? 'h2' : 'h3';
  const people = Object.entries(stats.people).sort(([a], [b]) => a.localeCompare(b));
  const groups = Object.entries(stats.groups).sort(([a], [b]) => a.localeCompare(b));
  const students = stats.studentsByYear.reduce((sum, row) => sum + row.count, 0);
  return (
    <div className="stats-grid">
      <section aria-labelledby="stats-people">
        <H id="stats-people">People</H>
        <TableWrap label="People by kind">
          <table>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col" className="num">
                  Number
                </th>
              </tr>
            </thead>
            <tbody>
              {people.map(([kind, n]) => (
                <tr key={kind}>
                  <th scope="row">{personKindLabel(kind)}</th>
                  <td className="num">{n}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Left the school</th>
                <td className="num">{stats.left}</td>
              </tr>
            </tbody>
          </table>
        </TableWrap>
      </section>
      <section aria-labelledby="stats-years">
        <H id="stats-years">Students by year group</H>
        {stats.studentsByYear.length === 0 ? (
          <p>No students yet.</p>
        ) : (
          <TableWrap label="Students by year group">
            <table>
              <thead>
                <tr>
                  <th scope="col">Year group</th>
                  <th scope="col">Key stage</th>
                  <th scope="col" className="num">
                    Students
                  </th>
                </tr>
              </thead>
              <tbody>
                {stats.studentsByYear.map((row) => (
                  <tr key={row.yearGroup}>
                    <th scope="row">{yearLabel(row.yearGroup)}</th>
                    <td>{keyStageLabel(row.keyStage)}</td>
                    <td className="num">{row.count}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>
                    All year groups
                  </th>
                  <td className="num">{students}</td>
                </tr>
              </tfoot>
            </table>
          </TableWrap>
        )}
      </section>
      <section aria-labelledby="stats-groups">
        <H id="stats-groups">Groups</H>
        {groups.length === 0 ? (
          <p>No groups yet.</p>
        ) : (
          <TableWrap label="Groups by kind">
            <table>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col" className="num">
                    Number
                  </th>
                </tr>
              </thead>
              <tbody>
                {groups.map(([kind, n]) => (
                  <tr key={kind}>
                    <th scope="row">{groupKindLabel(kind, true)}</th>
                    <td className="num">{n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </div>
  );
}
