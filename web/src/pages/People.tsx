import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { Badge } from '../components/Badge';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApi, useDebounced } from '../components/hooks';
import { Page } from '../components/Page';
import { Pager } from '../components/Pager';
import { TableWrap } from '../components/TableWrap';
import {
  GROUP_KINDS,
  PERSON_KINDS,
  YEAR_GROUPS,
  isPast,
  keyStageLabel,
  personKindLabel,
  plural,
  yearLabel,
  type GroupKind,
} from '../labels';
import { useSchool } from '../school';
import { useMe } from '../session';
import type { GroupSummary, PersonStatus, PersonSummary } from '../types';

const PAGE_SIZE = 25;

export function People() {
  const me = useMe();
  const { schoolId } = useSchool();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim(), 300);
  const kind = params.get('kind') ?? '';
  const year = params.get('year') ?? '';
  const groupId = params.get('group') ?? '';
  const status = (params.get('status') as PersonStatus | null) ?? 'active';
  const offset = Number(params.get('offset') ?? 0) || 0;

  // Filters live in the address so Back, reload and shared links keep them.
  const update = (changes: Record<string, string>, replace = false) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('offset' in changes)) next.delete('offset');
    setParams(next, { replace });
  };

  useEffect(() => {
    if (q !== (params.get('q') ?? '')) update({ q }, true);
  }, [q]);

  const groups = useApi(() => api.groups({ schoolId }), [schoolId]);
  // The answer carries the offset it was asked for, so the pager never describes rows still loading.
  const people = useApi(
    () =>
      api
        .people({
          q: params.get('q') ?? undefined,
          kind: kind || undefined,
          yearGroup: year === '' ? undefined : Number(year),
          groupId: groupId || undefined,
          status,
          limit: PAGE_SIZE,
          offset,
          schoolId,
        })
        .then((page) => ({ ...page, offset })),
    [params.toString(), schoolId],
  );

  const clear = () => {
    setText('');
    setParams(new URLSearchParams());
  };

  return (
    <Page title="People">
      {me.can.managePeople && (
        <p>
          <Link className="button secondary" to="/people/new">
            Add person
          </Link>
        </p>
      )}
      <form role="search" aria-label="Find people" className="filters" onSubmit={(e: FormEvent) => e.preventDefault()}>
        <div className="field field-wide">
          <label htmlFor="people-q">Search by name or MIS id</label>
          <input id="people-q" type="search" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="people-kind">Kind</label>
          <select id="people-kind" value={kind} onChange={(e) => update({ kind: e.target.value })}>
            <option value="">Everyone</option>
            {Object.entries(PERSON_KINDS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="people-year">Year group</label>
          <select id="people-year" value={year} onChange={(e) => update({ year: e.target.value })}>
            <option value="">Any year</option>
            {YEAR_GROUPS.map((y) => (
              <option key={y} value={y}>
                {yearLabel(y)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="people-group">Group</label>
          <select id="people-group" value={groupId} onChange={(e) => update({ group: e.target.value })}>
            <option value="">Any group</option>
            {groupOptions(groups.data ?? [])}
          </select>
        </div>
        <div className="field">
          <label htmlFor="people-status">Status</label>
          <select id="people-status" value={status} onChange={(e) => update({ status: e.target.value === 'active' ? '' : e.target.value })}>
            <option value="active">At the school</option>
            <option value="left">Left</option>
            <option value="all">All</option>
          </select>
        </div>
        <div className="field field-action">
          <button type="button" className="secondary" onClick={clear}>
            Clear filters
          </button>
        </div>
      </form>

      <ErrorNotice error={people.error} />
      <p role="status" className="result-count">
        {people.loading ? 'Searching…' : people.data ? `${plural(people.data.total, 'person', 'people')} found` : ''}
      </p>
      {people.data && people.data.items.length > 0 && (
        <>
          <TableWrap label="People">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Year group</th>
                  <th scope="col">Key stage</th>
                  <th scope="col">Job title</th>
                  <th scope="col">MIS id</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {people.data.items.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link to={`/people/${p.id}`}>{p.name}</Link>
                    </th>
                    <td>{personKindLabel(p.kind)}</td>
                    <td>{yearLabel(p.yearGroup)}</td>
                    <td>{keyStageLabel(p.keyStage)}</td>
                    <td>{p.jobTitle ?? '—'}</td>
                    <td>{p.misId ?? '—'}</td>
                    <td>
                      <StatusBadge person={p} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <Pager
            label="People pages"
            offset={people.data.offset}
            limit={PAGE_SIZE}
            total={people.data.total}
            onChange={(o) => update({ offset: o ? String(o) : '' })}
          />
        </>
      )}
    </Page>
  );
}

function StatusBadge({ person: p }: { person: PersonSummary }) {
  if (p.status !== 'active') return <Badge>Left</Badge>;
  return isPast(p.expiresAt) ? <Badge tone="bad">Expired</Badge> : <Badge tone="good">At school</Badge>;
}

function groupOptions(groups: GroupSummary[]) {
  return (Object.keys(GROUP_KINDS) as GroupKind[]).map((k) => {
    const ofKind = groups.filter((g) => g.kind === k);
    if (ofKind.length === 0) return null;
    return (
      <optgroup key={k} label={GROUP_KINDS[k].many}>
        {ofKind.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
      </optgroup>
    );
  });
}
