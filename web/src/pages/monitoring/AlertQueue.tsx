import { type FormEvent, useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, incidentApi } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi, useDebounced, useSubmit } from '../../components/hooks';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { formatDateTime, GROUP_KINDS, type GroupKind, plural, yearLabel } from '../../labels';
import type { GroupSummary } from '../../types';
import {
  ALERT_STATUSES,
  type AlertStatus,
  type AlertSummary,
  ALERTS_CHANGED,
  alertsApi,
  type BulkAction,
  type BulkResult,
  CATEGORY_LABELS,
  categoryLabel,
  notifyAlertsChanged,
  SEVERITIES_DESC,
  severityLabel,
  skipReasonLabel,
  STATUS_LABELS,
  statusLabel,
} from './alertsApi';
import { Highlight, SeverityBadge } from './Highlight';
import './alerts.css';

const PAGE_SIZE = 25;

const BULK_DONE: Record<BulkAction, string> = {
  false_positive: 'marked as false positives',
  close: 'closed',
  reopen: 'reopened',
};

/** The DSL's triage queue: most serious first, filtered from the address so a link reproduces the view. */
export function AlertQueue() {
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as AlertStatus | 'all' | null) ?? 'open';
  const category = params.get('category') ?? '';
  const severity = params.get('severity') ?? '';
  const groupId = params.get('group') ?? '';
  const personId = params.get('person') ?? '';
  const offset = Number(params.get('offset') ?? 0) || 0;

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('offset' in changes)) next.delete('offset');
    setParams(next);
  };

  const groups = useApi(() => api.groups(), []);
  // The answer carries the offset it was asked for, so the pager never describes rows still loading.
  const list = useApi(
    () =>
      alertsApi
        .list({
          status,
          category: category || undefined,
          severity: severity || undefined,
          groupId: groupId || undefined,
          personId: personId || undefined,
          limit: PAGE_SIZE,
          offset,
        })
        .then((page) => ({ ...page, offset })),
    [params.toString()],
  );

  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [outcome, setOutcome] = useState<BulkOutcomeView | null>(null);

  const rows = list.data?.alerts ?? [];
  // Only rows on the screen count as selected, whatever was ticked on another page or filter.
  const chosen = rows.filter((r) => selected.has(r.id)).map((r) => r.id);
  const afterBulk = (action: BulkAction, result: BulkResult) => {
    // Named now: after the reload a skipped alert may no longer be on the screen.
    setOutcome({ action, result, names: new Map(rows.map((r) => [r.id, `${r.who}, ${categoryLabel(r.category)}`])) });
    setSelected(new Set());
    list.reload();
    notifyAlertsChanged();
  };

  return (
    <Page title="Alerts" lead="The most serious first. Opening an alert is written to the audit log.">
      <form role="search" aria-label="Filter alerts" className="filters alert-filters" onSubmit={(e: FormEvent) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="alerts-status">Status</label>
          <select id="alerts-status" value={status} onChange={(e) => update({ status: e.target.value === 'open' ? '' : e.target.value })}>
            {ALERT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
            <option value="all">All</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="alerts-category">Category</label>
          <select id="alerts-category" value={category} onChange={(e) => update({ category: e.target.value })}>
            <option value="">Any category</option>
            {Object.entries(CATEGORY_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="alerts-severity">Severity</label>
          <select id="alerts-severity" value={severity} onChange={(e) => update({ severity: e.target.value })}>
            <option value="">Any severity</option>
            {SEVERITIES_DESC.map((s) => (
              <option key={s} value={s}>
                {severityLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="alerts-group">Group</label>
          <select id="alerts-group" value={groupId} onChange={(e) => update({ group: e.target.value })}>
            <option value="">Any group</option>
            {groupOptions(groups.data ?? [])}
          </select>
        </div>
        <PersonFilter personId={personId} onChange={(id) => update({ person: id })} />
        <div className="field field-action">
          <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams())}>
            Clear filters
          </button>
        </div>
      </form>
      <ErrorNotice error={groups.error} action="list groups" />

      <ErrorNotice error={list.error} action="see alerts" />
      <p role="status" className="result-count">
        {list.loading ? 'Loading alerts…' : list.data ? `${plural(list.data.total, 'alert')} found` : ''}
      </p>

      {outcome && <BulkOutcome outcome={outcome} onDismiss={() => setOutcome(null)} />}

      {rows.length > 0 && list.data && (
        <>
          <BulkBar
            ids={chosen}
            allSelected={chosen.length === rows.length}
            onToggleAll={(on) => setSelected(on ? new Set(rows.map((r) => r.id)) : new Set())}
            onDone={afterBulk}
          />
          <AlertTable
            rows={rows}
            selected={selected}
            onToggle={(id, on) =>
              setSelected((prev) => {
                const next = new Set(prev);
                if (on) next.add(id);
                else next.delete(id);
                return next;
              })
            }
          />
          <Pager
            label="Alert pages"
            offset={list.data.offset}
            limit={PAGE_SIZE}
            total={list.data.total}
            onChange={(o) => update({ offset: o ? String(o) : '' })}
          />
        </>
      )}
      {list.data && rows.length === 0 && (
        <p>{status === 'open' && !category && !severity && !groupId && !personId ? 'No open alerts.' : 'No alerts match these filters.'}</p>
      )}
    </Page>
  );
}

function AlertTable({
  rows,
  selected,
  onToggle,
}: {
  rows: AlertSummary[];
  selected: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
}) {
  return (
    // On a phone the table becomes one card per alert (alerts.css), so it never scrolls sideways.
    <div className="alert-table-wrap">
      <table className="alert-table" aria-label="Alerts">
        <thead>
          <tr>
            <th scope="col" className="alert-select">
              <span className="visually-hidden">Selected</span>
            </th>
            <th scope="col">Severity</th>
            <th scope="col">Who</th>
            <th scope="col">Category</th>
            <th scope="col">What was seen</th>
            <th scope="col">Count</th>
            <th scope="col">Last seen</th>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((alert) => (
            <tr key={alert.id} className={`alert-row alert-row-${alert.severity}`}>
              <td className="alert-select">
                <input
                  type="checkbox"
                  aria-label={`Select the ${severityLabel(alert.severity).toLowerCase()} ${categoryLabel(alert.category)} alert about ${alert.who}`}
                  checked={selected.has(alert.id)}
                  onChange={(e) => onToggle(alert.id, e.target.checked)}
                />
              </td>
              <td data-label="Severity">
                <SeverityBadge severity={alert.severity} />
              </td>
              <th scope="row" data-label="Who">
                <Link to={`/monitoring/alerts/${encodeURIComponent(alert.id)}`}>{alert.who}</Link>
                {!alert.personId && <span className="hint"> (not identified)</span>}
              </th>
              <td data-label="Category">{categoryLabel(alert.category)}</td>
              <td data-label="What was seen" className="alert-excerpt-cell">
                <Highlight text={alert.excerpt} start={alert.highlightStart} end={alert.highlightEnd} />
              </td>
              <td data-label="Count" className="num">
                {alert.count > 1 ? (
                  <>
                    <span aria-hidden="true">×{alert.count}</span>
                    <span className="visually-hidden">{alert.count} times</span>
                  </>
                ) : (
                  '1'
                )}
              </td>
              <td data-label="Last seen">{formatDateTime(alert.lastAt)}</td>
              <td data-label="Source">{alert.source}</td>
              <td data-label="Status">{statusLabel(alert.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Acts on the ticked alerts. A false positive needs a reason: it feeds the library's false-positive rate. */
function BulkBar({
  ids,
  allSelected,
  onToggleAll,
  onDone,
}: {
  ids: string[];
  allSelected: boolean;
  onToggleAll: (on: boolean) => void;
  onDone: (action: BulkAction, result: BulkResult) => void;
}) {
  const announce = useAnnounce();
  const { busy, error, run } = useSubmit();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const none = ids.length === 0;
  const act = (action: BulkAction) =>
    run(async () => {
      const result = await alertsApi.bulk({ ids, action, ...(action === 'false_positive' ? { reason: reason.trim() } : {}) });
      const skipped = result.skipped.length ? `, ${plural(result.skipped.length, 'alert')} skipped` : '';
      announce(`${plural(result.updated.length, 'alert')} ${BULK_DONE[action]}${skipped}.`);
      setAsking(false);
      setReason('');
      onDone(action, result);
    });
  return (
    <section className="bulk-bar" aria-label="Act on selected alerts">
      <div className="checkbox">
        <input type="checkbox" id="alerts-select-all" checked={allSelected} onChange={(e) => onToggleAll(e.target.checked)} />
        <label htmlFor="alerts-select-all">Select all on this page</label>
      </div>
      <p className="bulk-count" aria-live="polite">
        {none ? 'Tick alerts to act on several at once.' : `${plural(ids.length, 'alert')} selected`}
      </p>
      <div className="button-row compact">
        <button type="button" className="secondary" disabled={none || busy} aria-expanded={asking} onClick={() => setAsking(!asking)}>
          Mark false positive
        </button>
        <button type="button" className="secondary" disabled={none || busy} onClick={() => act('close')}>
          Close
        </button>
        <button type="button" className="secondary" disabled={none || busy} onClick={() => act('reopen')}>
          Reopen
        </button>
      </div>
      {asking && !none && (
        <form
          className="stack"
          aria-label="False positive reason"
          onSubmit={(e) => {
            e.preventDefault();
            void act('false_positive');
          }}
        >
          <div className="field">
            <label htmlFor={reasonId}>Why are these false positives?</label>
            <input id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} required autoComplete="off" />
          </div>
          <div className="button-row compact">
            <button type="submit" disabled={busy || !reason.trim()}>
              Mark {plural(ids.length, 'alert')} false positive
            </button>
            <button type="button" className="secondary" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ErrorNotice error={error} action="change these alerts" />
    </section>
  );
}

/** What a bulk action did, and for each alert it left alone, why. */
interface BulkOutcomeView {
  action: BulkAction;
  result: BulkResult;
  /** "Ada Lovelace, Bullying" for each alert that was on the screen. */
  names: ReadonlyMap<string, string>;
}

function BulkOutcome({ outcome, onDismiss }: { outcome: BulkOutcomeView; onDismiss: () => void }) {
  const { action, result, names } = outcome;
  return (
    <div className={`notice ${result.skipped.length ? '' : 'notice-good'}`} role="region" aria-label="Result of the bulk action">
      <p>
        {plural(result.updated.length, 'alert')} {BULK_DONE[action]}.
      </p>
      {result.skipped.length > 0 && (
        <>
          <p>{plural(result.skipped.length, 'alert was', 'alerts were')} skipped:</p>
          <ul aria-label="Skipped alerts">
            {result.skipped.map((s) => (
              <li key={s.id}>
                {names.get(s.id) ?? `Alert ${s.id}`}: {skipReasonLabel(s.reason)}
              </li>
            ))}
          </ul>
        </>
      )}
      <button type="button" className="link-button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

/** One person's alerts, found by name; the choice is kept as an id in the address. */
function PersonFilter({ personId, onChange }: { personId: string; onChange: (id: string) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 200);
  const found = useApi(() => (q.length >= 2 && !personId ? incidentApi.people(q) : Promise.resolve(null)), [q, personId]);
  // A link with a person in it names them; if the directory will not say, the id still filters.
  const chosen = useApi(() => (personId ? api.person(personId).catch(() => null) : Promise.resolve(null)), [personId]);
  if (personId) {
    return (
      <div className="field alert-person-chosen">
        <span className="label-text">Person</span>
        <span>
          <strong>{chosen.data?.name ?? (chosen.loading ? '…' : 'Chosen person')}</strong>{' '}
          <button type="button" className="link-button" onClick={() => onChange('')}>
            Any person
          </button>
        </span>
      </div>
    );
  }
  return (
    <div className="field alert-person">
      <label htmlFor={id}>Person</label>
      <input id={id} type="search" value={text} placeholder="Type a name" onChange={(e) => setText(e.target.value)} autoComplete="off" />
      {found.data && q.length >= 2 && (
        <ul className="plain-list choose-list alert-person-options" aria-label={`People matching ${q}`}>
          {found.data.length === 0 && <li>No one matches.</li>}
          {found.data.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setText('');
                  onChange(p.id);
                }}
              >
                {p.name}
              </button>{' '}
              <span className="hint">{p.kind === 'student' ? yearLabel(p.yearGroup) : 'Staff'}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
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

/** "3 open, 1 critical" beside the Alerts link; it refreshes after every triage change on this page. */
export function OpenAlertCount() {
  const counts = useApi(() => alertsApi.counts(), []);
  const { reload } = counts;
  useEffect(() => {
    window.addEventListener(ALERTS_CHANGED, reload);
    return () => window.removeEventListener(ALERTS_CHANGED, reload);
  }, [reload]);
  if (!counts.data) return null;
  const open = counts.data.open;
  const total = open.critical + open.high + open.medium + open.low;
  if (total === 0) return null;
  const text = `${total} open${open.critical ? `, ${open.critical} critical` : ''}`;
  return <span className={`alert-count${open.critical ? ' alert-count-critical' : ''}`}>({text})</span>;
}
