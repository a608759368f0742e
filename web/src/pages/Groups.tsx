import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApi, useDebounced } from '../components/hooks';
import { Page } from '../components/Page';
import { TableWrap } from '../components/TableWrap';
import { GROUP_KINDS, groupKindLabel, yearLabel, type GroupKind } from '../labels';
import { useSchool } from '../school';
import { useMe } from '../session';

export function Groups() {
  const me = useMe();
  const { schoolId } = useSchool();
  const [params, setParams] = useSearchParams();
  const kind = params.get('kind') ?? '';
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const groups = useApi(() => api.groups({ kind: kind || undefined, q: q || undefined, schoolId }), [kind, q, schoolId]);
  const kinds = (Object.keys(GROUP_KINDS) as GroupKind[]).filter((k) => !kind || k === kind);

  return (
    <Page title="Groups">
      {me.can.managePeople && (
        <p>
          <Link className="button secondary" to="/groups/new">
            New group
          </Link>
        </p>
      )}
      <form role="search" aria-label="Find groups" className="filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="groups-kind">Kind of group</label>
          <select id="groups-kind" value={kind} onChange={(e) => setParams(e.target.value ? { kind: e.target.value } : {})}>
            <option value="">All kinds</option>
            {(Object.keys(GROUP_KINDS) as GroupKind[]).map((k) => (
              <option key={k} value={k}>
                {GROUP_KINDS[k].many}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-wide">
          <label htmlFor="groups-q">Search by name</label>
          <input id="groups-q" type="search" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
        </div>
      </form>
      <ErrorNotice error={groups.error} />
      <p role="status" className="result-count">
        {groups.loading ? 'Loading groups…' : groups.data?.length === 0 ? 'No groups found.' : ''}
      </p>
      {groups.data &&
        kinds.map((k) => {
          const ofKind = groups.data!.filter((g) => g.kind === k);
          if (ofKind.length === 0) return null;
          const showYear = k === 'year_group' || k === 'class' || k === 'tutor_group';
          return (
            <section key={k} aria-labelledby={`groups-${k}`}>
              <h2 id={`groups-${k}`}>{groupKindLabel(k, true)}</h2>
              <TableWrap label={groupKindLabel(k, true)}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Code</th>
                      {showYear && <th scope="col">Year group</th>}
                      {k === 'class' && <th scope="col">Subject</th>}
                      <th scope="col" className="num">
                        Members
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {ofKind.map((g) => (
                      <tr key={g.id}>
                        <th scope="row">
                          <Link to={`/groups/${g.id}`}>{g.name}</Link>
                        </th>
                        <td>{g.code}</td>
                        {showYear && <td>{yearLabel(g.yearGroup)}</td>}
                        {k === 'class' && <td>{g.subject ?? '—'}</td>}
                        <td className="num">{g.members}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </section>
          );
        })}
    </Page>
  );
}
