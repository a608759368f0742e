import { Link, useParams } from 'react-router-dom';
import { api } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApi } from '../components/hooks';
import { Page } from '../components/Page';
import { TableWrap } from '../components/TableWrap';
import { groupKindLabel, personKindLabel, plural, yearLabel } from '../labels';

const STAFF_ROLE_LABELS: Record<string, string> = { teacher: 'Teacher', tutor: 'Tutor', lead: 'Lead' };

export function Group() {
  const { id = '' } = useParams();
  const group = useApi(() => api.group(id), [id]);
  const g = group.data;
  // Staff with a role in the group come first: they are who people ask for.
  const members = g ? [...g.members].sort((a, b) => Number(Boolean(g.staffRoles[b.id])) - Number(Boolean(g.staffRoles[a.id]))) : [];

  return (
    <Page title={g?.name ?? (group.error ? 'Group' : 'Loading…')}>
      <ErrorNotice error={group.error} />
      {g && (
        <>
          <dl className="details">
            <dt>Kind</dt>
            <dd>{groupKindLabel(g.kind)}</dd>
            <dt>Code</dt>
            <dd>{g.code}</dd>
            {g.yearGroup !== null && (
              <>
                <dt>Year group</dt>
                <dd>{yearLabel(g.yearGroup)}</dd>
              </>
            )}
            {g.subject && (
              <>
                <dt>Subject</dt>
                <dd>{g.subject}</dd>
              </>
            )}
          </dl>
          <h2>Members</h2>
          <p>{plural(g.total, 'member')}{g.total > g.members.length ? `; the first ${g.members.length} are listed` : ''}.</p>
          {members.length > 0 && (
            <TableWrap label="Members">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Role in group</th>
                    <th scope="col">Year group</th>
                  </tr>
                </thead>
                <tbody>
                  {members.map((p) => (
                    <tr key={p.id}>
                      <th scope="row">
                        <Link to={`/people/${p.id}`}>{p.name}</Link>
                      </th>
                      <td>{personKindLabel(p.kind)}</td>
                      <td>{STAFF_ROLE_LABELS[g.staffRoles[p.id] ?? ''] ?? 'Member'}</td>
                      <td>{yearLabel(p.yearGroup)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          <p>
            <Link to={`/people?group=${g.id}`}>Search and filter this group&rsquo;s members</Link>
          </p>
        </>
      )}
    </Page>
  );
}
