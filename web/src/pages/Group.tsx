import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api';
import { useAnnounce } from '../components/Announcer';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApi, useDebounced } from '../components/hooks';
import { Page } from '../components/Page';
import { TableWrap } from '../components/TableWrap';
import { MEMBER_ROLES, groupKindLabel, personKindLabel, plural, yearLabel } from '../labels';
import { useSchool } from '../school';
import { useMe } from '../session';
import type { GroupDetail, MemberRole } from '../types';

const STAFF_ROLE_LABELS: Record<string, string> = { teacher: 'Teacher', tutor: 'Tutor', lead: 'Lead' };

/** Key stages and year groups take their members from students' year groups. */
const isDerived = (kind: string) => kind === 'key_stage' || kind === 'year_group';

export function Group() {
  const { id = '' } = useParams();
  const me = useMe();
  const group = useApi(() => api.group(id), [id]);
  const g = group.data;
  const [changeError, setChangeError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const announce = useAnnounce();
  const navigate = useNavigate();
  const manage = Boolean(g && me.can.managePeople && !isDerived(g.kind));
  // Staff with a role in the group come first: they are who people ask for.
  const members = g ? [...g.members].sort((a, b) => Number(Boolean(g.staffRoles[b.id])) - Number(Boolean(g.staffRoles[a.id]))) : [];

  const remove = async (personId: string, name: string) => {
    if (!g) return;
    setBusy(true);
    setChangeError(null);
    try {
      await api.changeMembers(g.id, { remove: [personId] });
      announce(`${name} removed from ${g.name}.`);
      group.reload();
    } catch (failure) {
      setChangeError(failure);
    } finally {
      setBusy(false);
    }
  };

  const archive = async () => {
    if (!g || !window.confirm(`Archive ${g.name}? It disappears from the lists and its members can no longer be changed.`)) return;
    setBusy(true);
    setChangeError(null);
    try {
      await api.archiveGroup(g.id);
      announce(`Group archived: ${g.name}.`);
      navigate('/groups');
    } catch (failure) {
      setChangeError(failure);
      setBusy(false);
    }
  };

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
          {isDerived(g.kind) && me.can.managePeople && (
            <p className="hint">
              The members of a {groupKindLabel(g.kind).toLowerCase()} are the students in its year groups, so they change only when a
              student&rsquo;s year group changes (in the MIS import).
            </p>
          )}
          <p>
            {plural(g.total, 'member')}
            {g.total > g.members.length ? `; the first ${g.members.length} are listed` : ''}.
          </p>
          <ErrorNotice error={changeError} action="change this group" />
          {members.length > 0 && (
            <TableWrap label="Members">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Role in group</th>
                    <th scope="col">Year group</th>
                    {manage && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
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
                      {manage && (
                        <td>
                          <button
                            type="button"
                            className="secondary small"
                            disabled={busy}
                            aria-label={`Remove ${p.name}`}
                            onClick={() => void remove(p.id, p.name)}
                          >
                            Remove
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          <p>
            <Link to={`/people?group=${g.id}`}>Search and filter this group&rsquo;s members</Link>
          </p>
          {manage && (
            <>
              <AddMembers group={g} onAdded={group.reload} />
              <section aria-labelledby="group-archive">
                <h2 id="group-archive">Archive</h2>
                <p>When a group is no longer needed, archive it. Its history stays in the audit log.</p>
                <button type="button" className="danger" disabled={busy} onClick={() => void archive()}>
                  Archive group
                </button>
              </section>
            </>
          )}
        </>
      )}
    </Page>
  );
}

function AddMembers({ group, onAdded }: { group: GroupDetail; onAdded: () => void }) {
  const announce = useAnnounce();
  const { schoolId } = useSchool();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const [role, setRole] = useState<MemberRole>('member');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const found = useApi(
    () => (q.length >= 2 ? api.people({ q, limit: 10, status: 'active', schoolId }) : Promise.resolve(null)),
    [q, schoolId],
  );
  const already = new Set(group.members.map((m) => m.id));

  const add = async (personId: string, name: string) => {
    setBusy(true);
    setError(null);
    try {
      await api.changeMembers(group.id, { add: [{ personId, memberRole: role }] });
      announce(`${name} added to ${group.name}${role === 'member' ? '' : ` as ${MEMBER_ROLES[role].toLowerCase()}`}.`);
      onAdded();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="group-add" className="panel">
      <h2 id="group-add">Add members</h2>
      <div className="filters">
        <div className="field field-wide">
          <label htmlFor="group-add-find">Find people to add</label>
          <span className="hint" id="group-add-find-hint">
            Type at least two letters of their name or MIS id.
          </span>
          <input
            id="group-add-find"
            type="search"
            autoComplete="off"
            aria-describedby="group-add-find-hint"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="group-add-role">Add as</label>
          <select id="group-add-role" value={role} onChange={(e) => setRole(e.target.value as MemberRole)}>
            {Object.entries(MEMBER_ROLES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNotice error={found.error} />
      <ErrorNotice error={error} action="add members" />
      {found.data && (
        <>
          <p role="status">
            {found.data.total === 0
              ? 'Nobody found.'
              : `${found.data.total} found${found.data.total > 10 ? '; showing the first 10' : ''}.`}
          </p>
          <ul className="plain-list choose-list">
            {found.data.items.map((p) => (
              <li key={p.id}>
                {already.has(p.id) && group.staffRoles[p.id] === (role === 'member' ? undefined : role) ? (
                  <span>
                    <strong>{p.name}</strong> is already in this group.
                  </span>
                ) : (
                  <button type="button" className="secondary" disabled={busy} onClick={() => void add(p.id, p.name)}>
                    {already.has(p.id) ? `Change ${p.name} to ${MEMBER_ROLES[role].toLowerCase()}` : `Add ${p.name}`}
                  </button>
                )}{' '}
                <span className="muted">
                  {personKindLabel(p.kind)}
                  {p.yearGroup !== null ? `, ${yearLabel(p.yearGroup)}` : ''}
                  {p.jobTitle ? `, ${p.jobTitle}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
