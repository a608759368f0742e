import { Link, useParams } from 'react-router-dom';
import { RULES } from '../../../../src/access/policy';
import { ApiError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { useApi } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import { useMe } from '../../session';
import type { Me } from '../../types';
import { actionLabel, categoryLabel, SHORT_ROLE_LABELS } from './labels';
import { type ChronologyItem, recordsApi } from './recordsApi';

const mayExport = (me: Me) => RULES['incident.export'].roles.some((r) => me.roles.includes(r));

function ItemRow({ item }: { item: ChronologyItem }) {
  switch (item.kind) {
    case 'incident':
      return (
        <>
          <td>Incident</td>
          <td>
            <Link to={`/incidents/${encodeURIComponent(item.incidentId)}`}>{item.reference}</Link> {categoryLabel(item.category)} (
            {SHORT_ROLE_LABELS[item.role as keyof typeof SHORT_ROLE_LABELS] ?? item.role}, {item.status})
          </td>
        </>
      );
    case 'action':
      return (
        <>
          <td>Action</td>
          <td>
            {actionLabel(item.action)} ({item.status.replace('_', ' ')}) for{' '}
            <Link to={`/incidents/${encodeURIComponent(item.incidentId)}`}>{item.reference}</Link>
          </td>
        </>
      );
    case 'sanction':
      return (
        <>
          <td>Internet removed</td>
          <td>
            Until {formatDateTime(item.until)}: {item.reason}
            {item.lifted ? ` (lifted ${formatDateTime(item.lifted)})` : ''}
          </td>
        </>
      );
    case 'filter_alert':
      return (
        <>
          <td>Blocked site</td>
          <td>
            {item.host ?? 'unknown site'} ({item.category ?? 'uncategorised'})
          </td>
        </>
      );
  }
}

/** A student's safeguarding chronology, with the moving-school and subject-access exports. */
export function StudentFile() {
  const { personId = '' } = useParams();
  const me = useMe();
  const chronology = useApi(() => recordsApi.chronology(personId), [personId]);
  const name = chronology.data?.student.name;
  const hidden = chronology.error instanceof ApiError && chronology.error.status === 404;
  return (
    <Page
      title={name ? `Safeguarding file: ${name}` : 'Safeguarding file'}
      lead="Everything the incident log holds about this student that you may read, oldest first. Opening it is audited."
    >
      <p>
        <Link to="/incidents">Back to incidents</Link>
      </p>
      {hidden ? (
        <div className="notice notice-error" role="alert">
          <p>There is no student with this record in your school.</p>
        </div>
      ) : (
        <ErrorNotice error={chronology.error} action="see this student's chronology" />
      )}
      {!chronology.data && !chronology.error && <p role="status">Loading the chronology…</p>}

      {mayExport(me) && !hidden && (
        <section aria-labelledby="student-exports">
          <h2 id="student-exports">Exports</h2>
          <p className="hint">
            When the student moves school, send the safeguarding file to the new school's designated safeguarding lead, separately from the
            main pupil file, within 5 school days, and get confirmation of receipt (the printed file has a receipt section). Every export is
            written to the audit log.
          </p>
          <div className="button-row">
            <a className="button" href={recordsApi.studentFileUrl(personId, 'json')} download>
              Download safeguarding file (JSON)
            </a>
            <a className="button secondary" href={recordsApi.studentFileUrl(personId, 'html')} target="_blank" rel="noopener">
              Print safeguarding file
            </a>
            <a className="button secondary" href={recordsApi.subjectAccessUrl(personId, 'html')} target="_blank" rel="noopener">
              Subject-access export
            </a>
          </div>
          <p className="hint">
            The subject-access export replaces everyone else by a label and is for the data protection lead to review before anything is
            released.{' '}
            <a href={recordsApi.subjectAccessUrl(personId, 'json')} download>
              Subject-access export as JSON
            </a>
          </p>
        </section>
      )}

      {chronology.data && (
        <section aria-labelledby="student-chronology">
          <h2 id="student-chronology">Chronology</h2>
          {chronology.data.student.yearGroup !== null && <p>Year {chronology.data.student.yearGroup}</p>}
          {chronology.data.items.length === 0 ? (
            <p>Nothing is recorded about this student.</p>
          ) : (
            <TableWrap label="Chronology">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {chronology.data.items.map((item, index) => (
                    // Items have no id of their own; the list is read-only, so the position is stable.
                    // biome-ignore lint/suspicious/noArrayIndexKey: see above
                    <tr key={index}>
                      <td>{formatDateTime(item.at)}</td>
                      <ItemRow item={item} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </section>
      )}
    </Page>
  );
}
