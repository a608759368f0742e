import { type FormEvent, useState } from 'react';
import { incidentApi } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { Badge } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TableWrap } from '../../components/TableWrap';
import { useApi, useSubmit } from '../../components/hooks';
import { formatDateTime, isoToLocalInput, localInputToIso } from '../../labels';
import type { IncidentAction, IncidentContactMethod, IncidentDetail } from '../../types';
import { actionLabel, categoryLabel, nameOf } from './labels';

const CONTACT_METHODS: Record<IncidentContactMethod, string> = {
  phone: 'by phone',
  email: 'by email',
  letter: 'by letter',
  meeting: 'in a meeting',
  other: 'otherwise',
};
const contactMethodLabel = (m: string): string => CONTACT_METHODS[m as IncidentContactMethod] ?? m;

const ACTION_STATUS: Record<IncidentAction['status'], string> = { pending: 'Pending', done: 'Done', not_needed: 'Not needed' };

const READ_KINDS: Record<string, string> = {
  'incident.read': 'read it',
  'incident.respond': 'worked on it',
  'incident.read_refused': 'was refused',
};

/** The action that the filter enforces as a timed sanction: marking it done needs an end time. */
const REMOVAL_OF_INTERNET = 'removal_of_internet';

/** Everything those who respond do with an incident, in the order they usually do it. */
export function ResponseSections({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const open = incident.status === 'open';
  return (
    <>
      {open && <Triage incident={incident} onRecorded={reload} />}
      <Actions incident={incident} reload={reload} />
      {incident.subjectKind === 'student' && <Parents incident={incident} reload={reload} />}
      {open && <CloseIncident incident={incident} onClosed={reload} />}
      <Readers incident={incident} />
    </>
  );
}

/** Choosing the matrix row suggests its actions; a repeat escalates them, and says so. */
function Triage({ incident, onRecorded }: { incident: IncidentDetail; onRecorded: () => void }) {
  const announce = useAnnounce();
  const matrix = useApi(() => incidentApi.matrix(incident.subjectKind), [incident.subjectKind]);
  const [incidentType, setIncidentType] = useState('');
  const suggestion = useApi(
    () => (incidentType ? incidentApi.suggestions(incident.id, incidentType) : Promise.resolve(null)),
    [incident.id, incidentType],
  );
  const submit = useSubmit();
  const rowLabel = (type: string) => matrix.data?.find((r) => r.incidentType === type)?.label ?? type;
  const record = (event: FormEvent) => {
    event.preventDefault();
    void submit.run(async () => {
      await incidentApi.triage(incident.id, incidentType);
      setIncidentType('');
      announce('The actions have been recorded.');
      onRecorded();
    });
  };
  return (
    <section aria-labelledby="incident-triage">
      <h2 id="incident-triage">Incident type and suggested actions</h2>
      <ErrorNotice error={matrix.error} action="read the actions matrix" />
      <form className="stack" aria-label="Incident type" onSubmit={record}>
        <div className="field">
          <label htmlFor="incident-type">Incident type</label>
          <span className="hint" id="incident-type-hint">
            The row of the school's actions-and-sanctions matrix that fits; its actions are suggested.
          </span>
          <select
            id="incident-type"
            value={incidentType}
            onChange={(e) => setIncidentType(e.target.value)}
            aria-describedby="incident-type-hint"
          >
            <option value="">Choose…</option>
            {(matrix.data ?? []).map((row) => (
              <option key={row.incidentType} value={row.incidentType}>
                {row.label}
              </option>
            ))}
          </select>
        </div>
        <ErrorNotice error={suggestion.error} action="get the suggested actions" />
        {suggestion.data && (
          <div aria-live="polite">
            {suggestion.data.repeat && (
              <div className="notice notice-warn" role="note" aria-label="Repeat infringement">
                <p>
                  <strong>Repeat: escalated to continued infringements.</strong>{' '}
                  {suggestion.data.escalatedFrom ? `Chosen: ${rowLabel(suggestion.data.escalatedFrom)}. ` : ''}
                  Earlier warnings or sanctions:
                </p>
                <ul aria-label="Earlier warnings or sanctions">
                  {suggestion.data.history.map((h) => (
                    <li key={h.reference}>
                      {h.reference}, {categoryLabel(h.category)}, {formatDateTime(h.createdAt)}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <h3>Suggested actions</h3>
            {suggestion.data.actions.length === 0 ? (
              <p>This row marks no actions.</p>
            ) : (
              <ul aria-label="Suggested actions">
                {suggestion.data.actions.map((a) => (
                  <li key={a}>{actionLabel(a)}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <ErrorNotice error={submit.error} action="record the actions" />
        <div className="button-row">
          <button type="submit" disabled={submit.busy || !suggestion.data}>
            {submit.busy ? 'Recording…' : 'Record these actions'}
          </button>
        </div>
      </form>
    </section>
  );
}

function Actions({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const now = Date.now();
  return (
    <section aria-labelledby="incident-actions">
      <h2 id="incident-actions">Actions</h2>
      {incident.actions.length === 0 ? (
        <p>No actions recorded yet.</p>
      ) : (
        <TableWrap label="Actions">
          <table>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Status</th>
                <th scope="col">Due</th>
                <th scope="col">Note</th>
                {incident.status === 'open' && <th scope="col">Change</th>}
              </tr>
            </thead>
            <tbody>
              {incident.actions.map((a) => {
                const overdue = a.status === 'pending' && a.dueAt !== null && new Date(a.dueAt).getTime() < now;
                return (
                  <tr key={a.id}>
                    <th scope="row">{actionLabel(a.action)}</th>
                    <td>
                      {ACTION_STATUS[a.status] ?? a.status}
                      {a.doneBy ? ` (${nameOf(a.doneBy)}, ${formatDateTime(a.doneAt)})` : ''}
                    </td>
                    <td>
                      {formatDateTime(a.dueAt)} {overdue && <Badge tone="bad">Overdue</Badge>}
                    </td>
                    <td>{a.note ?? '—'}</td>
                    {incident.status === 'open' && (
                      <td>
                        <ActionChange incidentId={incident.id} action={a} onChanged={reload} />
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

function ActionChange({ incidentId, action, onChanged }: { incidentId: string; action: IncidentAction; onChanged: () => void }) {
  const announce = useAnnounce();
  const label = actionLabel(action.action);
  const [note, setNote] = useState('');
  const [askUntil, setAskUntil] = useState(false);
  const [until, setUntil] = useState('');
  const submit = useSubmit();
  const change = (status: IncidentAction['status'], sanctionUntil?: string) =>
    submit.run(async () => {
      await incidentApi.updateAction(incidentId, action.id, {
        status,
        note: note.trim() || undefined,
        sanctionUntil: sanctionUntil ? localInputToIso(sanctionUntil) : undefined,
      });
      setNote('');
      setAskUntil(false);
      announce(`${label}: ${ACTION_STATUS[status]}.`);
      onChanged();
    });
  const markDone = () => (action.action === REMOVAL_OF_INTERNET ? setAskUntil(true) : void change('done'));
  const noteId = `action-note-${action.id}`;
  const untilId = `action-until-${action.id}`;
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={noteId}>Note for {label}</label>
        <input id={noteId} value={note} onChange={(e) => setNote(e.target.value)} maxLength={4000} />
      </div>
      {askUntil && (
        <div className="field">
          <label htmlFor={untilId}>Internet access removed until</label>
          <input id={untilId} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} required />
        </div>
      )}
      <ErrorNotice error={submit.error} action="change the action" />
      <div className="button-row">
        {askUntil ? (
          <>
            <button type="button" disabled={submit.busy || !until} onClick={() => void change('done', until)}>
              Remove access until then
            </button>
            <button type="button" className="secondary" onClick={() => setAskUntil(false)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            {action.status !== 'done' && (
              <button type="button" disabled={submit.busy} onClick={markDone} aria-label={`Mark ${label} done`}>
                Done
              </button>
            )}
            {action.status !== 'not_needed' && (
              <button
                type="button"
                className="secondary"
                disabled={submit.busy}
                onClick={() => void change('not_needed')}
                aria-label={`Mark ${label} not needed`}
              >
                Not needed
              </button>
            )}
            {action.status !== 'pending' && (
              <button
                type="button"
                className="secondary"
                disabled={submit.busy}
                onClick={() => void change('pending')}
                aria-label={`Put ${label} back to pending`}
              >
                Back to pending
              </button>
            )}
          </>
        )}
      </div>
    </div>
  );
}

const SOMEONE_ELSE = 'someone-else';

function Parents({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const announce = useAnnounce();
  const first = incident.people.find((p) => p.role === 'subject') ?? incident.people[0];
  const blank = () => ({
    studentId: first?.id ?? '',
    /** A linked guardian's id, or SOMEONE_ELSE to type a name. */
    parentPersonId: '',
    parentName: '',
    method: 'phone' as IncidentContactMethod,
    contactedAt: isoToLocalInput(new Date().toISOString()),
    note: '',
  });
  const [form, setForm] = useState(blank);
  const set = (patch: Partial<ReturnType<typeof blank>>) => setForm((f) => ({ ...f, ...patch }));
  const submit = useSubmit();
  const [letterFor, setLetterFor] = useState('');
  const letter = useApi(
    () => (letterFor ? incidentApi.parentLetter(incident.id, letterFor) : Promise.resolve(null)),
    [incident.id, letterFor],
  );
  // Each person appears once however many roles they have.
  const students = [...new Map(incident.people.map((p) => [p.id, p])).values()];
  const guardians = useApi(
    () => (form.studentId ? incidentApi.guardians(incident.id, form.studentId) : Promise.resolve([])),
    [incident.id, form.studentId],
  );
  const linked = guardians.data ?? [];
  // With no linked guardian the only choice is to type a name, so the name field shows at once.
  const chosen = form.parentPersonId || (linked[0]?.id ?? SOMEONE_ELSE);
  const typing = chosen === SOMEONE_ELSE;
  const record = (event: FormEvent) => {
    event.preventDefault();
    void submit.run(async () => {
      await incidentApi.parentsInformed(incident.id, {
        studentId: form.studentId,
        ...(typing ? { parentName: form.parentName.trim() } : { parentPersonId: chosen }),
        method: form.method,
        contactedAt: localInputToIso(form.contactedAt),
        note: form.note.trim() || undefined,
      });
      setForm(blank());
      announce('Recorded that the parents or carers were informed.');
      reload();
    });
  };
  return (
    <section aria-labelledby="incident-parents">
      <h2 id="incident-parents">Parents and carers informed</h2>
      {incident.parentContacts.length === 0 ? (
        <p>No contact with parents or carers recorded yet.</p>
      ) : (
        <ul className="plain-list" aria-label="Parents and carers informed">
          {incident.parentContacts.map((c) => (
            <li key={c.id}>
              {c.parentName}, {contactMethodLabel(c.method)}, {formatDateTime(c.contactedAt)}
              {c.contactedBy ? ` (${nameOf(c.contactedBy)})` : ''}
              {c.note ? `: ${c.note}` : ''}
            </li>
          ))}
        </ul>
      )}
      {students.length > 0 && (
        <form className="stack" aria-label="Parents or carers informed" onSubmit={record}>
          <h3>Record that parents or carers were informed</h3>
          <div className="field">
            <label htmlFor="parent-student">Student</label>
            <select
              id="parent-student"
              value={form.studentId}
              onChange={(e) => set({ studentId: e.target.value, parentPersonId: '' })}
              required
            >
              {students.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="parent-who">Parent or carer</label>
            <select id="parent-who" value={chosen} onChange={(e) => set({ parentPersonId: e.target.value })}>
              {linked.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name} ({g.relationship}
                  {g.parentalResponsibility ? ', parental responsibility' : ''})
                </option>
              ))}
              <option value={SOMEONE_ELSE}>Someone else: type a name</option>
            </select>
          </div>
          {typing && (
            <div className="field">
              <label htmlFor="parent-name">Name of the parent or carer</label>
              <input
                id="parent-name"
                value={form.parentName}
                onChange={(e) => set({ parentName: e.target.value })}
                required
                maxLength={200}
              />
            </div>
          )}
          <div className="field">
            <label htmlFor="parent-method">How</label>
            <select id="parent-method" value={form.method} onChange={(e) => set({ method: e.target.value as IncidentContactMethod })}>
              {Object.entries(CONTACT_METHODS).map(([id, label]) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="parent-when">When</label>
            <input
              id="parent-when"
              type="datetime-local"
              value={form.contactedAt}
              onChange={(e) => set({ contactedAt: e.target.value })}
              required
            />
          </div>
          <div className="field">
            <label htmlFor="parent-note">Note</label>
            <textarea id="parent-note" value={form.note} onChange={(e) => set({ note: e.target.value })} rows={2} />
          </div>
          <ErrorNotice error={submit.error} action="record the contact" />
          <div className="button-row">
            <button type="submit" disabled={submit.busy || !form.studentId || (typing && !form.parentName.trim())}>
              {submit.busy ? 'Recording…' : 'Record parents informed'}
            </button>
            <button type="button" className="secondary" onClick={() => setLetterFor(form.studentId)} disabled={!form.studentId}>
              Letter template
            </button>
          </div>
        </form>
      )}
      <ErrorNotice error={letter.error} action="prepare the letter" />
      {letter.data && (
        <section aria-label="Letter to parents or carers" className="incident-letter">
          <h3>{letter.data.subject}</h3>
          <pre>{letter.data.body}</pre>
        </section>
      )}
    </section>
  );
}

function CloseIncident({ incident, onClosed }: { incident: IncidentDetail; onClosed: () => void }) {
  const announce = useAnnounce();
  const [outcome, setOutcome] = useState('');
  const submit = useSubmit();
  const close = (event: FormEvent) => {
    event.preventDefault();
    void submit.run(async () => {
      await incidentApi.close(incident.id, outcome.trim());
      announce(`Incident ${incident.reference} is closed.`);
      onClosed();
    });
  };
  return (
    <section aria-labelledby="incident-close">
      <h2 id="incident-close">Close the incident</h2>
      <form className="stack" aria-label="Close the incident" onSubmit={close}>
        <div className="field">
          <label htmlFor="incident-outcome">Outcome</label>
          <textarea id="incident-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)} rows={3} required />
        </div>
        <ErrorNotice error={submit.error} action="close the incident" />
        <div className="button-row">
          <button type="submit" disabled={submit.busy || !outcome.trim()}>
            {submit.busy ? 'Closing…' : 'Close the incident'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Who read the record, from the audit log: reloaded with the incident, so it includes this read. */
function Readers({ incident }: { incident: IncidentDetail }) {
  const readers = useApi(() => incidentApi.readers(incident.id), [incident]);
  return (
    <section aria-labelledby="incident-readers">
      <h2 id="incident-readers">Who has read this</h2>
      <ErrorNotice error={readers.error} action="see who read this incident" />
      {readers.data && (
        <ul className="plain-list" aria-label="Who has read this">
          {readers.data.map((r, i) => (
            // The audit log may hold two reads by one person at the same second.
            // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id of their own
            <li key={`${r.at}-${i}`}>
              {r.who}
              {r.username ? ` (${r.username})` : ''} {READ_KINDS[r.action] ?? r.action}, {formatDateTime(r.at)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
