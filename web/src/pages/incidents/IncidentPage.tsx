import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, incidentApi } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { useApi } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import { useMe } from '../../session';
import type { IncidentDetail } from '../../types';
import {
  categoryLabel,
  entryKindLabel,
  usesStudentForm,
  LOCATION_LABELS,
  mayRespond,
  nameOf,
  SHORT_ROLE_LABELS,
  urgencyLabel,
} from './labels';
import { EvidenceSection } from './Evidence';
import { InvestigationSection } from './Investigation';
import { ResponseSections } from './Response';

/** One incident: its facts, people and chronology; for those who respond, the response too. */
export function IncidentPage() {
  const { id = '' } = useParams();
  const incident = useApi(() => incidentApi.get(id), [id]);
  if (incident.error) {
    // The server answers "not found" both for a missing incident and for one this person may not read.
    const hidden = incident.error instanceof ApiError && incident.error.status === 404;
    return (
      <Page title="Incident">
        {hidden ? (
          <div className="notice notice-error" role="alert">
            <p>This incident does not exist, or you may not read it.</p>
          </div>
        ) : (
          <ErrorNotice error={incident.error} action="read this incident" />
        )}
        <p>
          <Link to="/incidents">Back to incidents</Link>
        </p>
      </Page>
    );
  }
  if (!incident.data) {
    return (
      <Page title="Incident">
        <p role="status">Loading the incident…</p>
      </Page>
    );
  }
  return <IncidentView incident={incident.data} reload={incident.reload} />;
}

function IncidentView({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const me = useMe();
  const isReporter = incident.reporter.id === me.personId;
  const responder = mayRespond(me);
  const back = usesStudentForm(me) ? '/incidents/mine' : '/incidents';
  return (
    <Page title={`Incident ${incident.reference}`} lead={incident.summary}>
      <p>
        <Link to={back}>Back to incidents</Link>
      </p>
      {incident.archivedAt && (
        <div className="notice" role="note" aria-label="Archived">
          <p>
            <strong>Archived on {formatDateTime(incident.archivedAt)}.</strong> The retention period for this record has passed
            {incident.archiveReason ? ` (${incident.archiveReason})` : ''}. It is kept exactly as it was: it can be read, but nothing can be
            added or changed.
          </p>
        </div>
      )}
      <section aria-labelledby="incident-facts">
        <h2 id="incident-facts">Details</h2>
        <dl className="details">
          <dt>Category</dt>
          <dd>{categoryLabel(incident.category)}</dd>
          <dt>Urgency</dt>
          <dd>{urgencyLabel(incident.urgency)}</dd>
          <dt>About</dt>
          <dd>{incident.subjectKind === 'staff' ? 'A member of staff' : 'A student'}</dd>
          <dt>When</dt>
          <dd>{formatDateTime(incident.occurredAt)}</dd>
          <dt>Where</dt>
          <dd>{LOCATION_LABELS[incident.location] ?? incident.location}</dd>
          <dt>Reported by</dt>
          <dd>
            {incident.reporter.name} on {formatDateTime(incident.createdAt)}
          </dd>
          <dt>Status</dt>
          <dd>{incident.status === 'open' ? 'Open' : `Closed${incident.outcome ? `: ${incident.outcome}` : ''}`}</dd>
        </dl>
      </section>

      <section aria-labelledby="incident-people">
        <h2 id="incident-people">People involved</h2>
        {incident.people.length === 0 ? (
          <p>No one was named.</p>
        ) : (
          <ul className="plain-list" aria-label="People involved">
            {incident.people.map((p) => (
              <li key={`${p.id}-${p.role}`}>
                {/* The subjects of a student incident are students for certain: their file is one click away. */}
                {responder && incident.subjectKind === 'student' && p.role === 'subject' ? (
                  <Link to={`/incidents/students/${encodeURIComponent(p.id)}`} aria-label={`${p.name}: safeguarding file`}>
                    <strong>{p.name}</strong>
                  </Link>
                ) : (
                  <strong>{p.name}</strong>
                )}{' '}
                — {SHORT_ROLE_LABELS[p.role] ?? p.role}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="incident-chronology">
        <h2 id="incident-chronology">Chronology</h2>
        <p className="hint">Entries are never changed: a correction is added as a new entry.</p>
        <ol className="plain-list incident-entries" aria-label="Chronology">
          {incident.entries.map((entry) => (
            <li key={entry.id} className="incident-entry">
              <p className="incident-entry-meta">
                <strong>{entryKindLabel(entry.kind)}</strong> by {nameOf(entry.author)}, {formatDateTime(entry.createdAt)}
              </p>
              <p className="incident-entry-body">{entry.body}</p>
            </li>
          ))}
        </ol>
        {isReporter && !incident.archivedAt && <AddCorrection incidentId={incident.id} onAdded={reload} />}
      </section>

      {responder ? (
        <>
          <ResponseSections incident={incident} reload={reload} />
          <InvestigationSection incident={incident} reload={reload} />
          <EvidenceSection incident={incident} reload={reload} />
        </>
      ) : (
        <p>The safeguarding team records what they do about your report; that is not shown here.</p>
      )}
    </Page>
  );
}

/** The reporter cannot change their report; they add what was wrong or missing as a new entry. */
function AddCorrection({ incidentId, onAdded }: { incidentId: string; onAdded: () => void }) {
  const announce = useAnnounce();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await incidentApi.addEntry(incidentId, { kind: 'correction', body: body.trim() });
      setBody('');
      announce('Your correction has been added.');
      onAdded();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" aria-label="Add a correction" onSubmit={submit}>
      <div className="field">
        <label htmlFor="incident-correction">Your correction</label>
        <span className="hint" id="incident-correction-hint">
          Your report stays as it was; this is added below it with the time.
        </span>
        <textarea
          id="incident-correction"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          required
          rows={3}
          aria-describedby="incident-correction-hint"
        />
      </div>
      <ErrorNotice error={error} action="add a correction" />
      <div className="button-row">
        <button type="submit" disabled={busy || !body.trim()}>
          {busy ? 'Adding…' : 'Add the correction'}
        </button>
      </div>
    </form>
  );
}
