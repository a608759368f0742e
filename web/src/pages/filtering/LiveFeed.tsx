import { useEffect, useRef, useState } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { formatDateTime } from '../../labels';
import type { ActivityEvent } from '../../types';
import { actionLabel, categoryLabel } from './labels';
import { useFilterApi } from './parts';

const POLL_MS = 2000;
/** Enough to read back a few minutes on a busy network without the page growing without end. */
const KEEP = 300;

/** Every decision as it happens, newest first; blocked rows stand out. */
export function LiveFeed() {
  const filter = useFilterApi();
  const [events, setEvents] = useState<ActivityEvent[]>([]);
  const [paused, setPaused] = useState(false);
  const [onlyBlocked, setOnlyBlocked] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [loaded, setLoaded] = useState(false);
  const cursor = useRef<string | null>(null);

  useEffect(() => {
    if (paused) return;
    let stopped = false;
    let timer = 0;
    const poll = async () => {
      try {
        const page = await filter.activity({ after: cursor.current, limit: 200 });
        if (stopped) return;
        cursor.current = page.cursor ?? cursor.current;
        setError(null);
        setLoaded(true);
        if (page.events.length) {
          const fresh = [...page.events].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
          setEvents((old) => [...fresh, ...old.filter((e) => !fresh.some((f) => f.id === e.id))].slice(0, KEEP));
        }
      } catch (failure) {
        if (!stopped) setError(failure);
      }
      // The next poll waits for this one, so a slow server is never asked twice at once.
      if (!stopped) timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [filter, paused]);

  const shown = onlyBlocked ? events.filter((e) => e.action === 'block') : events;
  return (
    <Page
      title="Live feed"
      lead="Every filter decision, allowed or blocked, as it happens. The feed checks for new ones every two seconds."
    >
      <div className="button-row">
        <button type="button" className="secondary" onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <label className="checkbox">
          <input type="checkbox" checked={onlyBlocked} onChange={(e) => setOnlyBlocked(e.target.checked)} />
          Only blocked
        </label>
      </div>
      <ErrorNotice error={error} />
      <p role="status" className="result-count">
        {!loaded ? 'Loading…' : paused ? 'Paused.' : shown.length === 0 ? 'No decisions yet.' : `Showing the latest ${shown.length}.`}
      </p>
      {shown.length > 0 && (
        <TableWrap label="Decisions">
          <table className="feed-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Device or address</th>
                <th scope="col">Site</th>
                <th scope="col">Search terms</th>
                <th scope="col">Category</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.id} className={e.action === 'block' ? 'row-blocked' : e.action === 'warn' ? 'row-warned' : undefined}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{e.personName ?? 'Unknown'}</td>
                  <td>{e.deviceName ?? e.clientAddress ?? '—'}</td>
                  <th scope="row" className="details-cell">
                    {e.url ?? e.host ?? '—'}
                  </th>
                  <td>{e.searchTerms ? <q>{e.searchTerms}</q> : '—'}</td>
                  <td>{e.category ? categoryLabel(e.category) : '—'}</td>
                  <td>
                    {actionLabel(e.action)} <span className="hint">({[e.source, e.rule].filter(Boolean).join(', ')})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Page>
  );
}
