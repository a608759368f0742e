import { type FormEvent, useEffect, useId, useState } from 'react';
import { ApiError, incidentApi } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi, useDebounced, useSubmit } from '../../components/hooks';
import { formatDateTime, isoToLocalInput, localInputToIso } from '../../labels';
import type { IncidentDetail } from '../../types';
import { type Conclusion, type InvestigationView, investigationApi } from './investigationApi';

interface Props {
  incident: IncidentDetail;
  view: InvestigationView;
  changed: (message: string) => void;
}

/**
 * The investigation form ("the form" of the policy) and the illegal-content procedure. The
 * server decides what is still missing; the page shows its reasons rather than guessing.
 */
export function InvestigationSection({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const announce = useAnnounce();
  const loaded = useApi(() => investigationApi.get(incident.id), [incident.id]);
  const view = loaded.data;
  const changed = (message: string) => {
    announce(message);
    loaded.reload();
    reload();
  };
  const concluded = Boolean(view?.investigation?.concludedAt);
  const readOnly = concluded || incident.archivedAt !== null;
  return (
    <section aria-labelledby="incident-investigation">
      <h2 id="incident-investigation">Investigation</h2>
      <ErrorNotice error={loaded.error} action="read the investigation" />
      {view && (
        <>
          {view.procedure === 'illegal' && <IllegalNotice />}
          {readOnly ? (
            <InvestigationRecord view={view} />
          ) : (
            <>
              {view.procedure === 'illegal' && (
                <>
                  <PoliceReferral incident={incident} view={view} changed={changed} />
                  <DeviceIsolation incident={incident} view={view} changed={changed} />
                </>
              )}
              <InvestigationFormPart incident={incident} view={view} changed={changed} />
              <Investigators incident={incident} view={view} changed={changed} />
              <Conclude incident={incident} view={view} changed={changed} />
            </>
          )}
          <p>
            <a href={investigationApi.printUrl(incident.id)} target="_blank" rel="noopener noreferrer">
              Print for signature
            </a>{' '}
            <span className="hint">(opens the investigation record as a page to print and sign; the download is recorded)</span>
          </p>
        </>
      )}
    </section>
  );
}

/** Seed 002's illegal-content steps, before anything else, so nobody acts on the images first. */
function IllegalNotice() {
  return (
    <div className="notice notice-error" role="note" aria-label="Illegal content procedure">
      <h3>Suspected illegal content: follow the illegal-content procedure</h3>
      <ul>
        <li>
          <strong>Refer to the police now</strong> and record the reference and time below.
        </li>
        <li>
          <strong>Isolate the device</strong>: do not switch it off, log in or change anything on it; any change may hinder a police
          investigation.
        </li>
        <li>
          <strong>Do not view, copy, save, print or share the images</strong>, not even as evidence. Do not upload them here.
        </li>
        <li>
          <strong>Record the URL and a description only.</strong>
        </li>
      </ul>
    </div>
  );
}

function InvestigationRecord({ view }: { view: InvestigationView }) {
  const inv = view.investigation;
  if (!inv) return <p>No investigation was recorded.</p>;
  return (
    <div role="group" aria-label="Investigation record">
      {inv.concludedAt && (
        <p className="notice notice-good">
          Concluded {inv.conclusion === 'substantiated' ? 'substantiated' : 'not substantiated'} by {inv.concludedBy?.name ?? '—'},{' '}
          {formatDateTime(inv.concludedAt)}. The investigation can no longer be changed.
        </p>
      )}
      <dl>
        <dt>Web addresses</dt>
        <dd>{inv.urls.length ? inv.urls.join(', ') : '—'}</dd>
        <dt>Description of the content</dt>
        <dd className="incident-entry-body">{inv.contentDescription || '—'}</dd>
        <dt>Designated computer</dt>
        <dd>{inv.designatedComputer ?? '—'}</dd>
        <dt>Procedure</dt>
        <dd>{inv.procedure === 'illegal' ? 'Illegal content' : 'Standard'}</dd>
        {inv.policeReferredAt && (
          <>
            <dt>Police referral</dt>
            <dd>
              {inv.policeReference}, {formatDateTime(inv.policeReferredAt)}
            </dd>
          </>
        )}
        {inv.deviceIsolatedAt && (
          <>
            <dt>Device isolated</dt>
            <dd>
              {formatDateTime(inv.deviceIsolatedAt)} by {inv.deviceIsolatedBy?.name ?? '—'}
            </dd>
          </>
        )}
        <dt>Investigators</dt>
        <dd>{view.investigators.map((i) => `${i.name}${i.senior ? ' (senior)' : ''}`).join(', ') || '—'}</dd>
        <dt>Actions taken</dt>
        <dd className="incident-entry-body">{inv.actionsTaken ?? '—'}</dd>
      </dl>
    </div>
  );
}

function InvestigationFormPart({ incident, view, changed }: Props) {
  const inv = view.investigation;
  const [urls, setUrls] = useState((inv?.urls ?? []).join('\n'));
  const [description, setDescription] = useState(inv?.contentDescription ?? '');
  const [computer, setComputer] = useState(inv?.designatedComputer ?? '');
  const [suspectedIllegal, setSuspectedIllegal] = useState(false);
  const [suspectedCsam, setSuspectedCsam] = useState(false);
  const submit = useSubmit();
  const save = (event: FormEvent) => {
    event.preventDefault();
    void submit.run(async () => {
      await investigationApi.save(incident.id, {
        urls: urls.split(/\s*\n\s*/).filter(Boolean),
        contentDescription: description,
        ...(computer.trim() ? { designatedComputer: computer.trim() } : {}),
        ...(suspectedIllegal ? { suspectedIllegal } : {}),
        ...(suspectedCsam ? { suspectedCsam } : {}),
      });
      setSuspectedIllegal(false);
      setSuspectedCsam(false);
      changed('The investigation form has been saved.');
    });
  };
  return (
    <form className="stack incident-form" aria-label="Investigation form" onSubmit={save}>
      <h3>The content</h3>
      <div className="field">
        <label htmlFor="investigation-urls">Web addresses (URLs), one per line</label>
        <span className="hint" id="investigation-urls-hint">
          For example https://example.com/page or example.com. Record the address only.
        </span>
        <textarea
          id="investigation-urls"
          rows={3}
          value={urls}
          onChange={(e) => setUrls(e.target.value)}
          aria-describedby="investigation-urls-hint"
        />
      </div>
      <div className="field">
        <label htmlFor="investigation-description">Description of the content</label>
        <span className="hint" id="investigation-description-hint">
          Describe what was seen in words. Never copy or attach the content itself.
        </span>
        <textarea
          id="investigation-description"
          rows={4}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          aria-describedby="investigation-description-hint"
        />
      </div>
      <div className="field">
        <label htmlFor="investigation-computer">Designated computer</label>
        <span className="hint" id="investigation-computer-hint">
          The computer used for the investigation, or the device concerned (e.g. ICT suite PC 14).
        </span>
        <input
          id="investigation-computer"
          value={computer}
          maxLength={200}
          onChange={(e) => setComputer(e.target.value)}
          aria-describedby="investigation-computer-hint"
        />
      </div>
      {view.procedure !== 'illegal' && (
        <div className="field">
          <label>
            <input type="checkbox" checked={suspectedIllegal} onChange={(e) => setSuspectedIllegal(e.target.checked)} /> The content may be
            illegal (the illegal-content procedure will apply from now on)
          </label>
        </div>
      )}
      {!incident.suspectedCsam && (
        <div className="field">
          <label>
            <input type="checkbox" checked={suspectedCsam} onChange={(e) => setSuspectedCsam(e.target.checked)} /> I think this involves
            sexual images of a child (cannot be undone)
          </label>
        </div>
      )}
      <ErrorNotice error={submit.error} action="save the investigation" />
      <div className="button-row">
        <button type="submit" disabled={submit.busy}>
          {submit.busy ? 'Saving…' : 'Save the investigation form'}
        </button>
      </div>
    </form>
  );
}

function PoliceReferral({ incident, view, changed }: Props) {
  const inv = view.investigation;
  const [reference, setReference] = useState(inv?.policeReference ?? '');
  const [referredAt, setReferredAt] = useState(isoToLocalInput(inv?.policeReferredAt ?? new Date().toISOString()));
  const submit = useSubmit();
  const save = (event: FormEvent) => {
    event.preventDefault();
    void submit.run(async () => {
      if (!referredAt) throw new Error('Give the date and time of the referral');
      await investigationApi.police(incident.id, reference, localInputToIso(referredAt));
      changed('The police referral has been recorded.');
    });
  };
  return (
    <form className="stack" aria-label="Police referral" onSubmit={save}>
      <h3>Police referral</h3>
      {inv?.policeReferredAt && (
        <p>
          Recorded: {inv.policeReference}, {formatDateTime(inv.policeReferredAt)} by {inv.policeReferredBy?.name ?? '—'}.
        </p>
      )}
      <div className="field">
        <label htmlFor="police-reference">Police reference</label>
        <input id="police-reference" value={reference} maxLength={100} onChange={(e) => setReference(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="police-referred-at">Referred at</label>
        <input id="police-referred-at" type="datetime-local" value={referredAt} onChange={(e) => setReferredAt(e.target.value)} required />
      </div>
      <ErrorNotice error={submit.error} action="record the police referral" />
      <div className="button-row">
        <button type="submit" disabled={submit.busy}>
          {inv?.policeReferredAt ? 'Correct the police referral' : 'Record the police referral'}
        </button>
      </div>
    </form>
  );
}

function DeviceIsolation({ incident, view, changed }: Props) {
  const inv = view.investigation;
  const [note, setNote] = useState('');
  const submit = useSubmit();
  if (inv?.deviceIsolatedAt) {
    return (
      <div>
        <h3>Device</h3>
        <p>
          Isolated {formatDateTime(inv.deviceIsolatedAt)} by {inv.deviceIsolatedBy?.name ?? '—'}.
        </p>
      </div>
    );
  }
  const save = (event: FormEvent) => {
    event.preventDefault();
    void submit.run(async () => {
      await investigationApi.deviceIsolated(incident.id, note);
      changed('The device has been recorded as isolated.');
    });
  };
  return (
    <form className="stack" aria-label="Device isolation" onSubmit={save}>
      <h3>Device</h3>
      <div className="field">
        <label htmlFor="device-note">Where the device is now (optional)</label>
        <input id="device-note" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </div>
      <ErrorNotice error={submit.error} action="record the isolation" />
      <div className="button-row">
        <button type="submit" disabled={submit.busy}>
          The device has been isolated
        </button>
      </div>
    </form>
  );
}

/** Staff of the school, found by name; senior staff (head, DSL, HR) are marked by the server. */
function Investigators({ incident, view, changed }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 200);
  const found = useApi(() => (q.length >= 2 ? incidentApi.people(q) : Promise.resolve(null)), [q]);
  const submit = useSubmit();
  const taken = new Set(view.investigators.map((i) => i.personId));
  const staff = (found.data ?? []).filter((p) => p.kind === 'staff' && !taken.has(p.id));
  const add = (personId: string, name: string) =>
    void submit.run(async () => {
      await investigationApi.addInvestigator(incident.id, personId);
      setText('');
      changed(`${name} has been added as an investigator.`);
    });
  const seniors = view.investigators.filter((i) => i.senior).length;
  return (
    <div>
      <h3>Investigators</h3>
      <p className="hint">The policy asks for more than one senior member of staff (head, DSL or HR). Senior so far: {seniors}.</p>
      {view.investigators.length === 0 ? (
        <p>No investigators yet.</p>
      ) : (
        <ul aria-label="Investigators">
          {view.investigators.map((i) => (
            <li key={i.personId}>
              {i.name} {i.senior ? <strong>(senior)</strong> : <span className="hint">(not senior)</span>}
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor={`${id}-find`}>Add an investigator: type a name</label>
        <input id={`${id}-find`} value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
      </div>
      <ErrorNotice error={found.error} action="search for staff" />
      {q.length >= 2 && found.data && staff.length === 0 && <p>No members of staff match.</p>}
      {staff.length > 0 && (
        <ul className="plain-list" aria-label="Matching staff">
          {staff.map((p) => (
            <li key={p.id}>
              <button type="button" className="secondary small" disabled={submit.busy} onClick={() => add(p.id, p.name)}>
                Add {p.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={submit.error} action="add the investigator" />
    </div>
  );
}

function Conclude({ incident, view, changed }: Props) {
  const [conclusion, setConclusion] = useState<Conclusion | ''>('');
  const [actionsTaken, setActionsTaken] = useState('');
  const submit = useSubmit();
  const [missing, setMissing] = useState<string[]>(view.missing);
  useEffect(() => setMissing(view.missing), [view.missing]);
  const save = (event: FormEvent) => {
    event.preventDefault();
    void submit.run(async () => {
      if (!conclusion) throw new Error('Choose whether the incident was substantiated');
      try {
        await investigationApi.conclude(incident.id, conclusion, actionsTaken);
      } catch (failure) {
        const details = failure instanceof ApiError ? (failure.details as { missing?: string[] } | undefined) : undefined;
        if (details?.missing) setMissing(details.missing);
        throw failure;
      }
      changed('The investigation has been concluded.');
    });
  };
  return (
    <form className="stack" aria-label="Conclude the investigation" onSubmit={save}>
      <h3>Conclusion</h3>
      {missing.length > 0 && (
        <div className="notice" role="note" aria-label="Still needed before a conclusion">
          <p>Still needed before the investigation can be concluded:</p>
          <ul>
            {missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      <fieldset>
        <legend>Conclusion</legend>
        <label>
          <input
            type="radio"
            name="conclusion"
            value="substantiated"
            checked={conclusion === 'substantiated'}
            onChange={() => setConclusion('substantiated')}
          />{' '}
          Substantiated
        </label>
        <label>
          <input
            type="radio"
            name="conclusion"
            value="not_substantiated"
            checked={conclusion === 'not_substantiated'}
            onChange={() => setConclusion('not_substantiated')}
          />{' '}
          Not substantiated
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor="investigation-actions">Actions taken</label>
        <textarea id="investigation-actions" rows={3} value={actionsTaken} onChange={(e) => setActionsTaken(e.target.value)} />
      </div>
      <ErrorNotice error={submit.error} action="conclude the investigation" />
      <div className="button-row">
        <button type="submit" disabled={submit.busy}>
          Conclude the investigation
        </button>
      </div>
    </form>
  );
}
