import { type FormEvent, useCallback, useState } from 'react';
import { RULES } from '../../../../src/access/policy';
import { ApiError } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { Badge, type Tone } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi, useSubmit } from '../../components/hooks';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { formatDate } from '../../labels';
import { useMe } from '../../session';
import {
  type ImportReport,
  KIND_LABELS,
  type OverdueReport,
  type RecordInput,
  STATE_LABELS,
  TRAINING_KINDS,
  type TrainingKind,
  type TrainingRecord,
  type TrainingState,
  trainingApi,
} from './trainingApi';
import './training.css';

const TONES: Record<TrainingState, Tone> = { up_to_date: 'good', due_soon: 'warn', overdue: 'bad' };
const kinds = (list: readonly TrainingKind[]) => (list.length ? list.map((k) => KIND_LABELS[k]).join(', ') : '—');
const hasRole = (roles: readonly string[], rule: 'training.read' | 'training.manage') =>
  (RULES[rule].roles as readonly string[]).some((r) => roles.includes(r));

/** E-safety training: the school's "who is overdue" for those who keep it, otherwise your own record. */
export function Training() {
  const me = useMe();
  if (hasRole(me.roles, 'training.read')) return <TrainingOverview canManage={hasRole(me.roles, 'training.manage')} />;
  return (
    <Page title="Your training" lead="Your e-safety training on record, and what is due.">
      <PersonTraining personId={me.personId} canManage={false} own />
    </Page>
  );
}

function TrainingOverview({ canManage }: { canManage: boolean }) {
  const announce = useAnnounce();
  const [teamId, setTeamId] = useState('');
  const [kind, setKind] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);
  const report = useApi(() => trainingApi.overdue({ teamId, kind }), [teamId, kind, changes]);
  // Team choices come from the unfiltered report, so choosing one team does not hide the others.
  const all = useApi(() => trainingApi.overdue({}), [changes]);
  const changed = () => setChanges((n) => n + 1);
  const remind = useSubmit();
  // Stable, so it runs when a person's panel opens (the section is keyed by person), not on every render.
  const bringIntoView = useCallback((el: HTMLElement | null) => el?.scrollIntoView({ block: 'start' }), []);

  const sendReminders = () =>
    remind.run(async () => {
      const r = await trainingApi.remind(teamId || undefined);
      announce(`Reminders sent to ${r.reminded} people: ${r.sent} by e-mail, ${r.noEmail} in the app only.`);
    });

  return (
    <Page title="Training" lead="E-safety training of staff and governors: who is up to date, who is due soon and who is overdue.">
      <form className="filters" aria-label="Filter training" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="training-team">Team</label>
          <select id="training-team" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            <option value="">All teams</option>
            {all.data?.byTeam.map((t) => (
              <option key={t.teamId} value={t.teamId}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="training-kind">Training</label>
          <select id="training-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">All required training</option>
            {TRAINING_KINDS.filter((k) => k !== 'external').map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ErrorNotice error={report.error} action="see training records" />
      {report.loading && !report.data && <p role="status">Loading training records…</p>}
      {report.data && <Overdue report={report.data} selected={selected} onSelect={setSelected} />}
      {selected && (
        <section key={selected} ref={bringIntoView} aria-labelledby="training-person" className="training-person">
          <PersonTraining key={changes} personId={selected} canManage={canManage} onChange={changed} />
        </section>
      )}
      {canManage && (
        <section aria-labelledby="training-remind">
          <h2 id="training-remind">Reminders</h2>
          <p>Everyone overdue or due soon {teamId ? 'in this team ' : ''}gets an e-mail and a notification in Tutela.</p>
          <ErrorNotice error={remind.error} action="send reminders" />
          <button type="button" onClick={sendReminders} disabled={remind.busy}>
            Send reminders
          </button>
        </section>
      )}
      {canManage && all.data && (
        <>
          <AddRecord people={all.data.people} onAdded={changed} />
          <ImportCsv onImported={changed} />
        </>
      )}
    </Page>
  );
}

function Overdue({ report, selected, onSelect }: { report: OverdueReport; selected: string | null; onSelect: (id: string) => void }) {
  const { totals } = report;
  return (
    <>
      <section aria-labelledby="training-totals">
        <h2 id="training-totals">Who is overdue</h2>
        <dl className="training-totals" aria-label="Totals">
          <div>
            <dt>People</dt>
            <dd data-total="people">{totals.people}</dd>
          </div>
          <div>
            <dt>Up to date</dt>
            <dd data-total="upToDate">{totals.upToDate}</dd>
          </div>
          <div>
            <dt>Due soon</dt>
            <dd data-total="dueSoon">{totals.dueSoon}</dd>
          </div>
          <div>
            <dt>Overdue</dt>
            <dd data-total="overdue">{totals.overdue}</dd>
          </div>
        </dl>
        <TableWrap label="By team">
          <table>
            <caption>By team</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">People</th>
                <th scope="col">Overdue</th>
                <th scope="col">Due soon</th>
              </tr>
            </thead>
            <tbody>
              {report.byTeam.map((t) => (
                <tr key={t.teamId}>
                  <th scope="row">{t.name}</th>
                  <td>{t.people}</td>
                  <td>{t.overdue}</td>
                  <td>{t.dueSoon}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
      <TableWrap label="People">
        <table>
          <caption>People</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Team</th>
              <th scope="col">Status</th>
              <th scope="col">Overdue</th>
              <th scope="col">Due soon</th>
            </tr>
          </thead>
          <tbody>
            {report.people.map((p) => (
              <tr key={p.personId} aria-current={p.personId === selected ? 'true' : undefined}>
                <th scope="row">
                  <button type="button" className="link-button" onClick={() => onSelect(p.personId)}>
                    {p.name}
                  </button>
                </th>
                <td>{p.team}</td>
                <td>
                  <Badge tone={TONES[p.state]}>{STATE_LABELS[p.state]}</Badge>
                </td>
                <td>{kinds(p.overdue)}</td>
                <td>{kinds(p.dueSoon)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {report.people.length === 0 && <p>Nobody matches these filters.</p>}
    </>
  );
}

/** One person's status per required kind and their records; those who manage may correct them. */
function PersonTraining({
  personId,
  canManage,
  own,
  onChange,
}: {
  personId: string;
  canManage: boolean;
  own?: boolean;
  onChange?: () => void;
}) {
  const { data, error, loading, reload } = useApi(() => trainingApi.person(personId), [personId]);
  const [editing, setEditing] = useState<string | null>(null);
  const removal = useSubmit();
  const announce = useAnnounce();
  if (error) return <ErrorNotice error={error} action="see these training records" />;
  if (loading && !data) return <p role="status">Loading training records…</p>;
  if (!data) return null;
  const remove = (r: TrainingRecord) => {
    if (!window.confirm(`Delete "${r.title}" (${formatDate(r.completedOn)})?`)) return;
    void removal.run(async () => {
      await trainingApi.remove(r.id);
      announce('Record deleted.');
      onChange?.();
      reload();
    });
  };
  return (
    <>
      <h2 id="training-person">{own ? 'Status' : `${data.person.name}`}</h2>
      {!own && <p className="muted">{data.person.teams.map((t) => t.name).join(', ')}</p>}
      <ul className="training-status" aria-label="Required training">
        {data.status.map((s) => (
          <li key={s.kind}>
            <strong>{KIND_LABELS[s.kind]}</strong> <Badge tone={TONES[s.state]}>{STATE_LABELS[s.state]}</Badge>{' '}
            <span className="muted">
              {s.reason === 'missing'
                ? 'none on record'
                : s.expiresOn
                  ? `${s.state === 'overdue' ? 'expired' : 'expires'} ${formatDate(s.expiresOn)}`
                  : `completed ${formatDate(s.completedOn)}, does not expire`}
            </span>
          </li>
        ))}
      </ul>
      <h3>Records</h3>
      <ErrorNotice error={removal.error} action="delete this record" />
      {data.records.length === 0 && <p>No training on record.</p>}
      {data.records.length > 0 && (
        <TableWrap label="Training records">
          <table>
            <thead>
              <tr>
                <th scope="col">Training</th>
                <th scope="col">Title</th>
                <th scope="col">Provider</th>
                <th scope="col">Completed</th>
                <th scope="col">Expires</th>
                <th scope="col">Evidence</th>
                {canManage && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {data.records.map((r) => (
                <tr key={r.id}>
                  <td>{KIND_LABELS[r.kind]}</td>
                  <th scope="row">{r.title}</th>
                  <td>{r.provider}</td>
                  <td>{formatDate(r.completedOn)}</td>
                  <td>{r.expiresOn ? formatDate(r.expiresOn) : '—'}</td>
                  <td>{r.evidence ?? '—'}</td>
                  {canManage && (
                    <td>
                      <div className="button-row compact">
                        <button type="button" className="secondary" onClick={() => setEditing(r.id)}>
                          Edit<span className="visually-hidden"> {r.title}</span>
                        </button>
                        <button type="button" className="danger" onClick={() => remove(r)} disabled={removal.busy}>
                          Delete<span className="visually-hidden"> {r.title}</span>
                        </button>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {editing && (
        <RecordForm
          heading="Correct a record"
          initial={data.records.find((r) => r.id === editing)}
          onCancel={() => setEditing(null)}
          onSave={async (input) => {
            await trainingApi.update(editing, input);
            announce('Record saved.');
            setEditing(null);
            onChange?.();
            reload();
          }}
        />
      )}
    </>
  );
}

function RecordForm({
  heading,
  initial,
  people,
  onSave,
  onCancel,
}: {
  heading: string;
  initial?: TrainingRecord;
  people?: { personId: string; name: string }[];
  onSave: (input: RecordInput, personId: string) => Promise<void>;
  onCancel?: () => void;
}) {
  const [personId, setPersonId] = useState('');
  const [kind, setKind] = useState<TrainingKind>(initial?.kind ?? 'annual_refresher');
  const [title, setTitle] = useState(initial?.title ?? '');
  const [provider, setProvider] = useState(initial?.provider ?? '');
  const [completedOn, setCompletedOn] = useState(initial?.completedOn ?? '');
  const [expiresOn, setExpiresOn] = useState(initial?.expiresOn ?? '');
  const [evidence, setEvidence] = useState(initial?.evidence ?? '');
  const { busy, error, run } = useSubmit();
  const id = initial ? `edit-${initial.id}` : 'new';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await onSave({ kind, title, provider, completedOn, expiresOn: expiresOn || null, evidence: evidence || null }, personId);
      if (!initial) {
        setTitle('');
        setEvidence('');
        setExpiresOn('');
      }
    });
  };
  return (
    <form className="stack training-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      <ErrorNotice error={error} action="save this record" />
      {people && (
        <div className="field">
          <label htmlFor={`${id}-person`}>Person</label>
          <select id={`${id}-person`} required value={personId} onChange={(e) => setPersonId(e.target.value)}>
            <option value="">Choose a person</option>
            {people.map((p) => (
              <option key={p.personId} value={p.personId}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-kind`}>Training</label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as TrainingKind)}>
          {TRAINING_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-title`}>Title</label>
        <input id={`${id}-title`} required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-provider`}>Provider</label>
        <input id={`${id}-provider`} required maxLength={200} value={provider} onChange={(e) => setProvider(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-completed`}>Completed on</label>
        <input id={`${id}-completed`} type="date" required value={completedOn} onChange={(e) => setCompletedOn(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-expires`}>Expires on (optional)</label>
        <span className="hint" id={`${id}-expires-hint`}>
          Leave empty for the usual period: a refresher lasts a year, DSL training two years, an induction for good.
        </span>
        <input
          id={`${id}-expires`}
          type="date"
          aria-describedby={`${id}-expires-hint`}
          value={expiresOn}
          onChange={(e) => setExpiresOn(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-evidence`}>Evidence (optional)</label>
        <input
          id={`${id}-evidence`}
          maxLength={2000}
          placeholder="Certificate number or link"
          value={evidence}
          onChange={(e) => setEvidence(e.target.value)}
        />
      </div>
      <div className="button-row">
        <button type="submit" disabled={busy}>
          Save record
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function AddRecord({ people, onAdded }: { people: { personId: string; name: string }[]; onAdded: () => void }) {
  const announce = useAnnounce();
  return (
    <RecordForm
      heading="Add a record"
      people={people}
      onSave={async (input, personId) => {
        await trainingApi.create(personId, input);
        announce('Record added.');
        onAdded();
      }}
    />
  );
}

const SAMPLE = 'person,kind,title,provider,completed,expires,evidence';

/** CSV import: a dry run first shows every bad row by line; nothing is written while any remain. */
function ImportCsv({ onImported }: { onImported: () => void }) {
  const announce = useAnnounce();
  const [csv, setCsvText] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  // A report describes the text it was made from; any edit makes it stale.
  const setCsv = (text: string) => {
    setCsvText(text);
    setReport(null);
  };
  const { busy, error, run } = useSubmit();
  const rowErrors =
    error instanceof ApiError && error.error === 'invalid_csv' ? (error.details as ImportReport | undefined)?.errors : undefined;
  const send = (dryRun: boolean) =>
    run(async () => {
      setReport(null);
      const r = await trainingApi.importCsv(csv, dryRun);
      setReport(r);
      if (!dryRun) {
        announce(`Imported ${r.created} records.`);
        onImported();
      }
    });
  const readFile = async (file: File | undefined) => {
    if (file) setCsv(await file.text());
  };
  return (
    <section aria-labelledby="training-import" className="stack">
      <h2 id="training-import">Import from a spreadsheet</h2>
      <p>
        Save the spreadsheet as CSV with the columns <code>{SAMPLE}</code>. The person is their username, e-mail address or MIS id; dates
        are DD/MM/YYYY or YYYY-MM-DD. Rows already on record are skipped.
      </p>
      <div className="field">
        <label htmlFor="training-file">CSV file</label>
        <input id="training-file" type="file" accept=".csv,text/csv" onChange={(e) => void readFile(e.target.files?.[0])} />
      </div>
      <div className="field">
        <label htmlFor="training-csv">Or paste the CSV</label>
        <textarea id="training-csv" rows={8} value={csv} spellCheck={false} onChange={(e) => setCsv(e.target.value)} />
      </div>
      <div className="button-row">
        <button type="button" className="secondary" disabled={busy || !csv.trim()} onClick={() => void send(true)}>
          Check (dry run)
        </button>
        <button type="button" disabled={busy || !csv.trim()} onClick={() => void send(false)}>
          Import
        </button>
      </div>
      <ErrorNotice error={error} action="import training records" />
      {rowErrors && rowErrors.length > 0 && (
        <ul className="training-row-errors" aria-label="Row errors">
          {rowErrors.map((e) => (
            <li key={e.line}>
              Line {e.line}: {e.reason}
            </li>
          ))}
        </ul>
      )}
      {report && (
        <p className="notice notice-good" role="status">
          {report.status === 'dry_run' ? 'Dry run: ' : ''}
          {report.rows} rows read, {report.created} {report.status === 'dry_run' ? 'would be added' : 'added'}, {report.duplicates} already
          on record.
        </p>
      )}
    </section>
  );
}
