import { useState, type FormEvent } from 'react';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { useApi } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import type { FilterChangeQuery } from '../../types';
import { WhenLoaded, useFilterApi } from './parts';

const ENTITIES: Record<string, string> = {
  '': 'Everything',
  profile: 'Profiles',
  matrix: 'Matrix cells',
  assignment: 'Who gets which profile',
  calendar: 'Time windows',
  holiday: 'Holidays',
  list_entry: 'Local lists',
  exception: 'Exceptions',
  unblock_request: 'Unblock requests',
  sanction: 'Sanctions',
  device: 'Devices',
  subnet: 'Subnets',
  settings: 'Settings',
  category_lists: 'Category list imports',
  locked_list: 'Locked illegal lists',
};

/** Days as the server expects them: the start of the "from" day to the end of the "to" day. */
const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);
const dayEnd = (day: string) => (day ? new Date(`${day}T23:59:59.999`).toISOString() : undefined);

/** The change-control log governors review: who changed what, when, before and after, and why. */
export function Changes() {
  const filter = useFilterApi();
  const [draft, setDraft] = useState({ from: '', to: '', entity: '' });
  const [q, setQ] = useState<FilterChangeQuery>({ limit: 200 });
  const changes = useApi(() => filter.changes(q), [filter, q]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setQ({ from: dayStart(draft.from), to: dayEnd(draft.to), entity: draft.entity || undefined, limit: 200 });
  };

  return (
    <Page
      title="Change-control log"
      lead="Every change to the filtering policy, lists and exceptions: who made it, when, what it was before and after, and the reason given. Governors review this log."
    >
      <form className="filters" role="search" aria-label="Filter the change-control log" onSubmit={apply}>
        <div className="field">
          <label htmlFor="changes-from">From</label>
          <input id="changes-from" type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="changes-to">To</label>
          <input id="changes-to" type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="changes-entity">What changed</label>
          <select id="changes-entity" value={draft.entity} onChange={(e) => setDraft({ ...draft, entity: e.target.value })}>
            {Object.entries(ENTITIES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-action">
          <button type="submit">Filter</button>
        </div>
      </form>
      <p>
        <a className="button secondary" href={filter.changesCsvUrl(q)} download>
          Export CSV
        </a>
      </p>
      <WhenLoaded state={changes} what="changes">
        {(rows) => (
          <>
            <p role="status" className="result-count">
              {rows.length === 0 ? 'No changes recorded.' : `${rows.length === 1 ? '1 change' : `${rows.length} changes`}, newest first.`}
            </p>
            {rows.length > 0 && (
              <TableWrap label="Changes">
                <table className="changes-table">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">What</th>
                      <th scope="col">Before</th>
                      <th scope="col">After</th>
                      <th scope="col">Reason</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((c) => (
                      <tr key={c.id}>
                        <td>{formatDateTime(c.at)}</td>
                        <td>{c.actorName ?? 'system'}</td>
                        <th scope="row">{c.summary}</th>
                        <td className="details-cell">{describe(c.before)}</td>
                        <td className="details-cell">{describe(c.after)}</td>
                        <td>{c.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </>
        )}
      </WhenLoaded>
    </Page>
  );
}

/** A before/after value as "key: value" pairs, easier to scan than raw JSON. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(describe).join(', ') || '—';
  const pairs = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`,
  );
  return pairs.length ? pairs.join('; ') : '—';
}
