import { type FormEvent, useState } from 'react';
import { Link } from 'react-router-dom';
import { incidentApi } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { useMe } from '../../session';
import type { IncidentLocation, IncidentSubjectKind, IncidentUrgency } from '../../types';
import { isoToLocalInput, localInputToIso } from '../../labels';
import { INCIDENT_CATEGORIES, usesStudentForm, LOCATION_LABELS, URGENCIES, URGENCY_LABELS } from './labels';
import { type ChosenPerson, PeoplePicker } from './PeoplePicker';

/** The summary is the first line of what happened, cut short: one field less to fill in. */
const summaryOf = (text: string): string => {
  const line = text.trim().split('\n')[0]!.trim();
  return line.length <= 120 ? line : `${line.slice(0, 117).trimEnd()}…`;
};

/** After submitting: the reference to quote, and the way on. */
function Submitted({ reference, again }: { reference: string; again: () => void }) {
  return (
    <Page title="Concern logged">
      <div className="notice notice-good" role="status">
        <p>
          Thank you. Your concern has been logged with the reference <strong>{reference}</strong>. The designated safeguarding lead has been
          told.
        </p>
      </div>
      <p>You can read your report at any time, and add a correction if something in it is not right.</p>
      <div className="button-row">
        <Link className="button" to="/incidents/mine">
          See my reports
        </Link>
        <button type="button" className="secondary" onClick={again}>
          Log another concern
        </button>
      </div>
    </Page>
  );
}

/** Students report with a simpler form; everyone else logs the full concern. */
export function LogConcern() {
  const me = useMe();
  const [reference, setReference] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  if (reference) {
    return (
      <Submitted
        reference={reference}
        again={() => {
          setReference(null);
          setRound((r) => r + 1);
        }}
      />
    );
  }
  return usesStudentForm(me) ? <StudentReport key={round} onDone={setReference} /> : <StaffConcern key={round} onDone={setReference} />;
}

function LocationChoice({ value, onChange, legend }: { value: IncidentLocation; onChange: (v: IncidentLocation) => void; legend: string }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {(Object.keys(LOCATION_LABELS) as IncidentLocation[]).map((loc) => (
        <label key={loc} className="radio">
          <input type="radio" name="incident-location" checked={value === loc} onChange={() => onChange(loc)} />
          {LOCATION_LABELS[loc]}
        </label>
      ))}
    </fieldset>
  );
}

function StaffConcern({ onDone }: { onDone: (reference: string) => void }) {
  const announce = useAnnounce();
  const [people, setPeople] = useState<ChosenPerson[]>([]);
  const [form, setForm] = useState({
    subjectKind: 'student' as IncidentSubjectKind,
    description: '',
    occurredAt: isoToLocalInput(new Date().toISOString()),
    location: 'in_school' as IncidentLocation,
    category: '',
    urgency: 'medium' as IncidentUrgency,
    suspectedCsam: false,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  // Only where sexual images of a child could be involved, so nobody is asked it needlessly.
  const imagesPossible = form.category === 'illegal_content' || form.category === 'sexting_nudes';
  // Naming who the concern is about answers "a student or a member of staff" too: one tap less.
  const choosePeople = (next: ChosenPerson[]) => {
    const subject = next.find((c) => c.role === 'subject')?.person.kind;
    if (subject === 'student' || subject === 'staff') set({ subjectKind: subject });
    setPeople(next);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await incidentApi.create({
        subjectKind: form.subjectKind,
        people: people.map((c) => ({ personId: c.person.id, role: c.role })),
        summary: summaryOf(form.description),
        description: form.description.trim(),
        occurredAt: localInputToIso(form.occurredAt),
        location: form.location,
        category: form.category,
        urgency: form.urgency,
        suspectedCsam: imagesPossible && form.suspectedCsam,
      });
      announce(`Concern logged: ${created.reference}.`);
      onDone(created.reference);
    } catch (failure) {
      // Nothing typed is lost: the form stays as it was, with the reason shown.
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title="Log a concern"
      lead="Tell the designated safeguarding lead what you saw or heard. Only those who respond to it, and you, can read it."
    >
      <form className="stack incident-form" aria-label="Log a concern" onSubmit={submit}>
        <fieldset>
          <legend>Who is the concern about?</legend>
          {(['student', 'staff'] as const).map((kind) => (
            <label key={kind} className="radio">
              <input type="radio" name="incident-subject" checked={form.subjectKind === kind} onChange={() => set({ subjectKind: kind })} />
              {kind === 'student' ? 'A student' : 'A member of staff'}
            </label>
          ))}
        </fieldset>
        <PeoplePicker chosen={people} onChange={choosePeople} />
        <div className="field">
          <label htmlFor="incident-category">Category</label>
          <select id="incident-category" value={form.category} onChange={(e) => set({ category: e.target.value })} required>
            <option value="">Choose a category…</option>
            {INCIDENT_CATEGORIES.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        {imagesPossible && (
          <div className="field">
            <label>
              <input type="checkbox" checked={form.suspectedCsam} onChange={(e) => set({ suspectedCsam: e.target.checked })} /> I think this
              involves sexual images of a child
            </label>
            {form.suspectedCsam && (
              <div className="notice notice-error" role="note" aria-label="Sexual images of a child">
                <p>
                  <strong>Do not view, copy, save, print or share the images</strong>, not even to show the DSL. Tell the DSL now, in person
                  or by phone. Describe what you were told in words only.
                </p>
              </div>
            )}
          </div>
        )}
        <div className="field">
          <label htmlFor="incident-description">
            What happened <span className="required">(required)</span>
          </label>
          <span className="hint" id="incident-description-hint">
            What you saw or were told, in the words used. Facts, not opinions.
          </span>
          <textarea
            id="incident-description"
            value={form.description}
            onChange={(e) => set({ description: e.target.value })}
            required
            rows={5}
            aria-describedby="incident-description-hint"
          />
        </div>
        <div className="field">
          <label htmlFor="incident-when">When it happened</label>
          <input
            id="incident-when"
            type="datetime-local"
            value={form.occurredAt}
            onChange={(e) => set({ occurredAt: e.target.value })}
            required
          />
        </div>
        <LocationChoice value={form.location} onChange={(location) => set({ location })} legend="Where it happened" />
        <fieldset>
          <legend>Urgency</legend>
          {URGENCIES.map((u) => (
            <label key={u} className="radio">
              <input type="radio" name="incident-urgency" checked={form.urgency === u} onChange={() => set({ urgency: u })} />
              {URGENCY_LABELS[u]}
            </label>
          ))}
        </fieldset>
        {form.urgency === 'urgent' && (
          <p className="notice notice-error">If a child is in immediate danger, also find the DSL in person or call 999 now.</p>
        )}
        <ErrorNotice error={error} action="log a concern" />
        <div className="button-row">
          <button type="submit" disabled={busy || people.length === 0}>
            {busy ? 'Sending…' : 'Log the concern'}
          </button>
          <Link className="button secondary" to="/incidents">
            Cancel
          </Link>
        </div>
        {people.length === 0 && <p className="hint">Add at least one person involved to log the concern.</p>}
      </form>
    </Page>
  );
}

function StudentReport({ onDone }: { onDone: (reference: string) => void }) {
  const announce = useAnnounce();
  const [form, setForm] = useState({
    what: '',
    who: '',
    when: isoToLocalInput(new Date().toISOString()),
    where: 'in_school' as IncidentLocation,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { reference } = await incidentApi.studentReport({
        what: form.what.trim(),
        who: form.who.trim() || undefined,
        when: form.when ? localInputToIso(form.when) : undefined,
        where: form.where,
      });
      announce(`Report sent: ${reference}.`);
      onDone(reference);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title="Report a concern"
      lead="Tell us about bullying, abuse, misuse or something upsetting you saw online. A trusted member of staff will read it."
    >
      <form className="stack incident-form" aria-label="Report a concern" onSubmit={submit}>
        <div className="field">
          <label htmlFor="report-what">
            What happened <span className="required">(required)</span>
          </label>
          <textarea id="report-what" value={form.what} onChange={(e) => set({ what: e.target.value })} required rows={5} />
        </div>
        <div className="field">
          <label htmlFor="report-who">Who was involved</label>
          <span className="hint">Names if you know them. You can leave this empty.</span>
          <input id="report-who" value={form.who} onChange={(e) => set({ who: e.target.value })} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="report-when">When it happened</label>
          <span className="hint">If you are not sure, leave it as now.</span>
          <input id="report-when" type="datetime-local" value={form.when} onChange={(e) => set({ when: e.target.value })} />
        </div>
        <LocationChoice value={form.where} onChange={(where) => set({ where })} legend="Where" />
        <ErrorNotice error={error} action="report a concern" />
        <div className="button-row">
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send my report'}
          </button>
        </div>
      </form>
    </Page>
  );
}
