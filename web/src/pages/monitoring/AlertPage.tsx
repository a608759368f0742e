import { type FormEvent, useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi, useSubmit } from '../../components/hooks';
import { Page } from '../../components/Page';
import { formatDateTime, plural, yearLabel } from '../../labels';
import {
  type AlertDetail,
  type AlertSummary,
  alertsApi,
  categoryLabel,
  type EscalationDraft,
  eventKindLabel,
  INCIDENT_CATEGORIES,
  notifyAlertsChanged,
  profileLabel,
  severityLabel,
  statusLabel,
} from './alertsApi';
import { Highlight, SeverityBadge } from './Highlight';
import './alerts.css';

const BACK = '/monitoring/alerts';

/** One alert: what was seen, about whom, and the DSL's triage of it. Each load is an audited read. */
export function AlertPage() {
  const { id = '' } = useParams();
  const alert = useApi(() => alertsApi.get(id), [id]);
  if (alert.error) {
    // The server answers "not found" both for a missing alert and for one this person may not read.
    const hidden = alert.error instanceof ApiError && alert.error.status === 404;
    return (
      <Page title="Alert">
        {hidden ? (
          <div className="notice notice-error" role="alert">
            <p>This alert does not exist, or you may not read it.</p>
          </div>
        ) : (
          <ErrorNotice error={alert.error} action="read this alert" />
        )}
        <p>
          <Link to={BACK}>Back to alerts</Link>
        </p>
      </Page>
    );
  }
  if (!alert.data) {
    return (
      <Page title="Alert">
        <p role="status">Loading the alert…</p>
      </Page>
    );
  }
  return <AlertView alert={alert.data} onChange={alert.reload} />;
}

function AlertView({ alert, onChange }: { alert: AlertDetail; onChange: () => void }) {
  const changed = () => {
    notifyAlertsChanged();
    onChange();
  };
  return (
    <Page title={`${severityLabel(alert.severity)} alert: ${categoryLabel(alert.category)}`} lead={`About ${alert.who}`}>
      <p>
        <Link to={BACK}>Back to alerts</Link>
      </p>
      <figure className="alert-capture">
        <blockquote className="alert-excerpt-large" aria-label="What was seen">
          <Highlight text={alert.excerpt} start={alert.highlightStart} end={alert.highlightEnd} />
        </blockquote>
        <figcaption className="hint">
          {eventKindLabel(alert.eventKind)} from {alert.source}, {formatDateTime(alert.lastAt)}
        </figcaption>
      </figure>

      <section aria-labelledby="alert-details">
        <h2 id="alert-details">Details</h2>
        <dl className="details">
          <dt>Severity</dt>
          <dd>
            <SeverityBadge severity={alert.severity} />
            {alert.riskRaised && alert.baseSeverity !== alert.severity && (
              <span className="alert-raised"> Raised from {severityLabel(alert.baseSeverity).toLowerCase()} by repeated alerts</span>
            )}
          </dd>
          <dt>Category</dt>
          <dd>{categoryLabel(alert.category)}</dd>
          <dt>Matched</dt>
          <dd>
            “{alert.matched}” <span className="hint">for the library term “{alert.term}”</span>
          </dd>
          <dt>Who</dt>
          <dd>
            <WhoDetails alert={alert} />
          </dd>
          <dt>Monitored as</dt>
          <dd>{profileLabel(alert.profile)}</dd>
          <dt>Source</dt>
          <dd>
            {alert.source} <span className="hint">({eventKindLabel(alert.eventKind)})</span>
          </dd>
          <dt>Device</dt>
          <dd>{alert.device ?? '—'}</dd>
          <dt>Address</dt>
          <dd className="alert-url">{alert.url ?? '—'}</dd>
          <dt>First seen</dt>
          <dd>{formatDateTime(alert.firstAt)}</dd>
          <dt>Last seen</dt>
          <dd>{formatDateTime(alert.lastAt)}</dd>
          <dt>Times seen</dt>
          <dd>{alert.count}</dd>
          <dt>Status</dt>
          <dd>
            <StatusDetails alert={alert} />
          </dd>
          <dt>Library version</dt>
          <dd>{alert.keywordsVersion}</dd>
        </dl>
      </section>

      <Actions alert={alert} onChange={changed} />

      <section aria-labelledby="alert-notes">
        <h2 id="alert-notes">Notes</h2>
        {alert.notes.length === 0 ? (
          <p>No notes yet.</p>
        ) : (
          <ol className="plain-list alert-notes" aria-label="Notes">
            {alert.notes.map((note) => (
              <li key={note.id}>
                <p className="hint">
                  {note.authorName}, {formatDateTime(note.at)}
                </p>
                <p className="alert-note-text">{note.text}</p>
              </li>
            ))}
          </ol>
        )}
        <AddNote alertId={alert.id} onAdded={changed} />
      </section>

      <section aria-labelledby="alert-related">
        <h2 id="alert-related">Other alerts about {alert.person?.name ?? alert.who}</h2>
        <RelatedAlerts related={alert.related} />
        {alert.personId && (
          <p>
            <Link to={`${BACK}?status=all&person=${encodeURIComponent(alert.personId)}`}>
              All alerts about {alert.person?.name ?? alert.who}
            </Link>
          </p>
        )}
      </section>
    </Page>
  );
}

function WhoDetails({ alert }: { alert: AlertDetail }) {
  if (!alert.person) return <>{alert.who} (not identified in the directory)</>;
  const { person } = alert;
  return (
    <>
      {person.name}
      {person.yearGroup !== null && <>, {yearLabel(person.yearGroup)}</>}
      {person.groups.length > 0 && <span className="hint"> ({person.groups.join(', ')})</span>}
    </>
  );
}

function StatusDetails({ alert }: { alert: AlertDetail }) {
  const when = alert.resolvedAt ? ` on ${formatDateTime(alert.resolvedAt)}` : '';
  const by = alert.resolvedBy ? ` by ${alert.resolvedBy}` : '';
  if (alert.status === 'escalated' && alert.incidentId) {
    return (
      <>
        Escalated{by}
        {when}: <Link to={`/incidents/${encodeURIComponent(alert.incidentId)}`}>open the safeguarding incident</Link>
      </>
    );
  }
  if (alert.status === 'false_positive') {
    return (
      <>
        False positive{by}
        {when}
        {alert.fpReason ? `: ${alert.fpReason}` : ''}
      </>
    );
  }
  if (alert.status === 'open') return <>Open</>;
  return (
    <>
      {statusLabel(alert.status)}
      {by}
      {when}
    </>
  );
}

function RelatedAlerts({ related }: { related: AlertSummary[] }) {
  if (related.length === 0) return <p>No other alerts.</p>;
  return (
    <ul className="plain-list alert-related" aria-label="Related alerts">
      {related.map((r) => (
        <li key={r.id}>
          <SeverityBadge severity={r.severity} />{' '}
          <Link to={`${BACK}/${encodeURIComponent(r.id)}`}>
            {categoryLabel(r.category)}: “{r.matched}”
          </Link>{' '}
          <span className="hint">
            {formatDateTime(r.lastAt)}
            {r.count > 1 ? `, ${plural(r.count, 'time')}` : ''}, {statusLabel(r.status).toLowerCase()}
          </span>
        </li>
      ))}
    </ul>
  );
}

type Panel = 'false_positive' | 'close' | 'escalate' | null;

/**
 * What the DSL can do with the alert now, as the server allows it: an open alert can be escalated,
 * marked a false positive or closed; a closed one reopened or marked a false positive after all;
 * a false positive reopened; an escalated one nothing (its incident carries on).
 */
function Actions({ alert, onChange }: { alert: AlertDetail; onChange: () => void }) {
  const announce = useAnnounce();
  const [panel, setPanel] = useState<Panel>(null);
  const reopen = useSubmit();
  if (alert.status === 'escalated') return null;
  const toggle = (p: Panel) => setPanel(panel === p ? null : p);
  const open = alert.status === 'open';
  return (
    <section aria-labelledby="alert-actions">
      <h2 id="alert-actions">Actions</h2>
      <div className="button-row">
        {open && alert.personId && (
          <button type="button" aria-expanded={panel === 'escalate'} onClick={() => toggle('escalate')}>
            Escalate to a safeguarding incident
          </button>
        )}
        {alert.status !== 'false_positive' && (
          <button type="button" className="secondary" aria-expanded={panel === 'false_positive'} onClick={() => toggle('false_positive')}>
            Mark false positive
          </button>
        )}
        {open && (
          <button type="button" className="secondary" aria-expanded={panel === 'close'} onClick={() => toggle('close')}>
            Close
          </button>
        )}
        {!open && (
          <button
            type="button"
            className="secondary"
            disabled={reopen.busy}
            onClick={() =>
              reopen.run(async () => {
                await alertsApi.reopen(alert.id);
                announce('The alert is open again.');
                onChange();
              })
            }
          >
            Reopen
          </button>
        )}
      </div>
      {open && !alert.personId && (
        <p className="hint">
          No one in the directory is tied to this alert, so it cannot become an incident by itself. If it is a concern,{' '}
          <Link to="/incidents/new">log a concern</Link> naming the person.
        </p>
      )}
      <ErrorNotice error={reopen.error} action="reopen this alert" />
      {panel === 'false_positive' && (
        <ReasonForm
          label="Mark as a false positive"
          field="Why is this a false positive?"
          hint="The reason is kept with the alert and counts towards this library entry's false-positive rate."
          required
          submit="Mark false positive"
          send={(reason) => alertsApi.falsePositive(alert.id, reason)}
          done={() => {
            announce('Marked as a false positive.');
            setPanel(null);
            onChange();
          }}
          cancel={() => setPanel(null)}
        />
      )}
      {panel === 'close' && (
        <ReasonForm
          label="Close the alert"
          field="Note (optional)"
          hint="For example what you checked and why no more is needed."
          submit="Close the alert"
          send={(note) => alertsApi.close(alert.id, note || undefined)}
          done={() => {
            announce('The alert is closed.');
            setPanel(null);
            onChange();
          }}
          cancel={() => setPanel(null)}
        />
      )}
      {panel === 'escalate' && <EscalateForm alertId={alert.id} cancel={() => setPanel(null)} />}
    </section>
  );
}

function ReasonForm({
  label,
  field,
  hint,
  required = false,
  submit,
  send,
  done,
  cancel,
}: {
  label: string;
  field: string;
  hint: string;
  required?: boolean;
  submit: string;
  send: (text: string) => Promise<unknown>;
  done: () => void;
  cancel: () => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const { busy, error, run } = useSubmit();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await send(text.trim());
      done();
    });
  };
  return (
    <form className="stack alert-action-form" aria-label={label} onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={id}>{field}</label>
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
        <textarea
          id={id}
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          required={required}
          aria-describedby={`${id}-hint`}
        />
      </div>
      <ErrorNotice error={error} action={label.toLowerCase()} />
      <div className="button-row">
        <button type="submit" disabled={busy || (required && !text.trim())}>
          {submit}
        </button>
        <button type="button" className="secondary" onClick={cancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Opens an incident from the alert, prefilled by the server from what was seen; the DSL edits before sending. */
function EscalateForm({ alertId, cancel }: { alertId: string; cancel: () => void }) {
  const draft = useApi(() => alertsApi.escalationDraft(alertId), [alertId]);
  if (draft.error) return <ErrorNotice error={draft.error} action="escalate this alert" />;
  if (!draft.data) return <p role="status">Preparing the incident…</p>;
  return <EscalateFields alertId={alertId} draft={draft.data} cancel={cancel} />;
}

function EscalateFields({ alertId, draft, cancel }: { alertId: string; draft: EscalationDraft; cancel: () => void }) {
  const navigate = useNavigate();
  const announce = useAnnounce();
  const [category, setCategory] = useState(draft.category);
  const [summary, setSummary] = useState(draft.summary);
  const [description, setDescription] = useState(draft.description);
  const { busy, error, run } = useSubmit();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { incidentId } = await alertsApi.escalate(alertId, { category, summary: summary.trim(), description: description.trim() });
      notifyAlertsChanged();
      announce('The safeguarding incident has been opened.');
      navigate(`/incidents/${encodeURIComponent(incidentId)}`);
    });
  };
  return (
    <form className="stack alert-action-form" aria-label="Escalate to a safeguarding incident" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor="escalate-category">Incident category</label>
        <select id="escalate-category" value={category} onChange={(e) => setCategory(e.target.value)} required>
          {INCIDENT_CATEGORIES.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="escalate-summary">Summary</label>
        <input id="escalate-summary" value={summary} onChange={(e) => setSummary(e.target.value)} required autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor="escalate-description">What happened</label>
        <span className="hint" id="escalate-description-hint">
          Prefilled from the alert. The incident records who opened it and links back to this alert.
        </span>
        <textarea
          id="escalate-description"
          rows={6}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          required
          aria-describedby="escalate-description-hint"
        />
      </div>
      <ErrorNotice error={error} action="open the incident" />
      <div className="button-row">
        <button type="submit" disabled={busy || !summary.trim() || !description.trim()}>
          {busy ? 'Opening…' : 'Open the incident'}
        </button>
        <button type="button" className="secondary" onClick={cancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AddNote({ alertId, onAdded }: { alertId: string; onAdded: () => void }) {
  const announce = useAnnounce();
  const [text, setText] = useState('');
  const { busy, error, run } = useSubmit();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await alertsApi.addNote(alertId, text.trim());
      setText('');
      announce('Note added.');
      onAdded();
    });
  };
  return (
    <form className="stack" aria-label="Add a note" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor="alert-note">Note</label>
        <textarea id="alert-note" rows={3} value={text} onChange={(e) => setText(e.target.value)} required />
      </div>
      <ErrorNotice error={error} action="add a note" />
      <div className="button-row">
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? 'Adding…' : 'Add the note'}
        </button>
      </div>
    </form>
  );
}
