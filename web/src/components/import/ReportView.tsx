import { Badge } from '../Badge';
import { TableWrap } from '../TableWrap';
import type { ImportChange, ImportReport } from '../../types';
import { fieldLabel } from './common';

const ACTIONS: Record<ImportChange['action'], { label: string; tone: 'good' | 'warn' | 'neutral' }> = {
  create: { label: 'New', tone: 'good' },
  update: { label: 'Update', tone: 'neutral' },
  leave: { label: 'Leaves', tone: 'warn' },
};

/** What an import did or would do: counts, every rejected row, and each change. */
export function ReportView({ report, labels }: { report: ImportReport; labels?: Record<string, string> }) {
  const applied = report.status === 'applied';
  const problems = report.errorCount ?? report.errors.length;
  const changes = report.changeCount ?? report.changes.length;
  const groups = report.groups;
  return (
    <>
      <dl className="counts" aria-label="Summary">
        <Count label="Rows read" value={report.rows} />
        <Count label={applied ? 'Created' : 'To create'} value={report.created} />
        <Count label={applied ? 'Updated' : 'To update'} value={report.updated} />
        <Count label="Unchanged" value={report.unchanged} />
        <Count
          label={report.kind === 'classes' ? (applied ? 'Archived' : 'To archive') : applied ? 'Marked as left' : 'To mark as left'}
          value={report.left}
        />
        <Count label="Problems" value={problems} />
      </dl>
      {groups && groups.created + groups.updated + groups.archived > 0 && (
        <p>
          Groups along the way (tutor groups, staff teams, classes): {groups.created} new, {groups.updated} changed, {groups.archived}{' '}
          archived.
        </p>
      )}
      {report.errors.length > 0 && (
        <section aria-labelledby="import-errors">
          <h3 id="import-errors">Problems</h3>
          {problems > report.errors.length && (
            <p>
              The first {report.errors.length} of {problems} problems are listed; fix these and check again to see the rest.
            </p>
          )}
          <TableWrap label="Problems">
            <table>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Line
                  </th>
                  <th scope="col">Field</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((e, i) => (
                  <tr key={`${e.line}-${i}`}>
                    <th scope="row" className="num">
                      {e.line}
                    </th>
                    <td>{e.field ? (labels?.[e.field] ?? fieldLabel(e.field)) : '—'}</td>
                    <td>{e.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      )}
      {report.changes.length > 0 && (
        <section aria-labelledby="import-changes">
          <h3 id="import-changes">{applied ? 'Changes made' : 'Changes to make'}</h3>
          {changes > report.changes.length && (
            <p>
              The first {report.changes.length} of {changes} changes are listed.
            </p>
          )}
          <TableWrap label={applied ? 'Changes made' : 'Changes to make'}>
            <table>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Line
                  </th>
                  <th scope="col">Change</th>
                  <th scope="col">MIS id</th>
                  <th scope="col">Name</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {report.changes.map((c, i) => (
                  <tr key={`${c.misId}-${i}`}>
                    <td className="num">{c.line ?? '—'}</td>
                    <td>
                      <Badge tone={ACTIONS[c.action]?.tone ?? 'neutral'}>{ACTIONS[c.action]?.label ?? c.action}</Badge>
                    </td>
                    <td>{c.misId}</td>
                    <th scope="row">{c.name}</th>
                    <td>
                      {c.fields && c.fields.length > 0 ? (
                        <ul className="plain-list field-changes">
                          {c.fields.map((f) => (
                            <li key={f.field}>
                              {labels?.[f.field] ?? fieldLabel(f.field)}: {show(f.before)} → {show(f.after)}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      )}
    </>
  );
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div className="count">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

const show = (value: unknown) => (value === null || value === undefined || value === '' ? 'empty' : String(value));
