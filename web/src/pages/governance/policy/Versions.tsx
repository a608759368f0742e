import { dayText } from '../../../../../src/export/dates';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Badge } from '../../../components/Badge';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useChange } from '../../../components/hooks';
import { TableWrap } from '../../../components/TableWrap';
import { documentUrl, policyApi, type PolicyOverview, type PolicyVersionView } from './policyApi';

/** Every version with its approval, the draft being written, and the governors' approval of it. */
export function Versions({ overview, onChange }: { overview: PolicyOverview; onChange: () => void }) {
  const { draft, canManage, canApprove } = overview;
  return (
    <section aria-labelledby="policy-versions-heading">
      <h2 id="policy-versions-heading">Versions</h2>
      <TableWrap label="Policy versions">
        <table className="compact-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Approved</th>
              <th scope="col">Change</th>
              <th scope="col">Document</th>
            </tr>
          </thead>
          <tbody>
            {overview.versions.map((v) => (
              <tr key={v.id}>
                <th scope="row">{v.version}</th>
                <td>{v.status === 'approved' ? <Badge tone="good">Approved</Badge> : <Badge tone="warn">Draft</Badge>}</td>
                <td>{v.approvedOn ? `${dayText(v.approvedOn)}, ${v.approvedByBody}, minute ${v.minuteRef}` : '—'}</td>
                <td>{v.changeNote || '—'}</td>
                <td>
                  {/* Named in full for screen readers, which list links out of their rows. */}
                  <a href={documentUrl(v.id, 'html')} target="_blank" rel="noopener" aria-label={`Web page of version ${v.version}`}>
                    Web page
                  </a>{' '}
                  <a href={documentUrl(v.id, 'pdf')} download aria-label={`PDF of version ${v.version}`}>
                    PDF
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {draft && canManage && <DraftEditor key={draft.id} draft={draft} onSaved={onChange} />}
      {draft && canApprove && <ApprovalForm key={`approve-${draft.id}`} draft={draft} today={overview.today} onApproved={onChange} />}
      {!draft && canManage && <StartDraft onStarted={onChange} />}
    </section>
  );
}

function StartDraft({ onStarted }: { onStarted: () => void }) {
  const { busy, error, run } = useChange();
  const [note, setNote] = useState('');
  const id = useId();
  const start = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await policyApi.startDraft(note.trim());
      onStarted();
    }, 'A new draft has been started from the policy in force.');
  };
  return (
    <form className="stack policy-form" aria-label="Start a new version" onSubmit={start}>
      <h3>Start a new version</h3>
      <div className="field">
        <label htmlFor={id}>Why (for example "Annual review 2027")</label>
        <input id={id} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      </div>
      <ErrorNotice error={error} action="start a new version" />
      <div className="button-row">
        <button type="submit" disabled={busy}>
          Start a draft
        </button>
      </div>
    </form>
  );
}

function DraftEditor({ draft, onSaved }: { draft: PolicyVersionView; onSaved: () => void }) {
  const { busy, error, run } = useChange();
  const [title, setTitle] = useState(draft.title);
  const [body, setBody] = useState(draft.bodyMd);
  const [note, setNote] = useState(draft.changeNote);
  const [cycle, setCycle] = useState(draft.monitoringCycle);
  const [months, setMonths] = useState(draft.reviewMonths);
  const ids = { title: useId(), body: useId(), note: useId(), cycle: useId(), months: useId(), markers: useId() };
  useEffect(() => {
    setBody(draft.bodyMd);
  }, [draft.bodyMd]);
  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await policyApi.saveDraft(draft.id, {
        title: title.trim(),
        bodyMd: body,
        changeNote: note.trim(),
        monitoringCycle: cycle.trim(),
        reviewMonths: months,
      });
      onSaved();
    }, `Draft version ${draft.version} saved.`);
  };
  return (
    <form className="stack policy-form" aria-label={`Edit draft version ${draft.version}`} onSubmit={save}>
      <h3>Draft version {draft.version}</h3>
      <div className="field">
        <label htmlFor={ids.title}>Title</label>
        <input id={ids.title} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor={ids.body}>Text (Markdown)</label>
        <span className="hint" id={ids.markers}>
          Headings start with #, list items with -. The tables go where the text says {'{{user-actions}}'}, {'{{communications}}'} and{' '}
          {'{{sanctions}}'}; a table whose marker is missing is printed at the end.
        </span>
        <textarea id={ids.body} value={body} onChange={(e) => setBody(e.target.value)} required rows={18} aria-describedby={ids.markers} />
      </div>
      <div className="field">
        <label htmlFor={ids.cycle}>How the policy is monitored</label>
        <input id={ids.cycle} value={cycle} onChange={(e) => setCycle(e.target.value)} required maxLength={1000} />
      </div>
      <div className="field">
        <label htmlFor={ids.months}>Review every (months)</label>
        <input id={ids.months} type="number" min={1} max={36} value={months} onChange={(e) => setMonths(Number(e.target.value))} required />
      </div>
      <div className="field">
        <label htmlFor={ids.note}>What has changed</label>
        <input id={ids.note} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      </div>
      <ErrorNotice error={error} action="save the draft" />
      <div className="button-row">
        <button type="submit" disabled={busy}>
          Save draft
        </button>
      </div>
    </form>
  );
}

function ApprovalForm({ draft, today, onApproved }: { draft: PolicyVersionView; today: string; onApproved: () => void }) {
  const { busy, error, run } = useChange();
  const [approvedOn, setApprovedOn] = useState('');
  const [body, setBody] = useState('Full governing body');
  const [minute, setMinute] = useState('');
  const [nextReview, setNextReview] = useState('');
  const ids = { on: useId(), body: useId(), minute: useId(), next: useId(), warn: useId() };
  const approve = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await policyApi.approve(draft.id, {
        approvedOn,
        approvedByBody: body.trim(),
        minuteRef: minute.trim(),
        ...(nextReview ? { nextReviewOn: nextReview } : {}),
      });
      onApproved();
    }, `Governors' approval of version ${draft.version} recorded.`);
  };
  return (
    <form className="stack policy-form" aria-label="Record governors' approval" onSubmit={approve}>
      <h3>Record governors' approval of version {draft.version}</h3>
      <p className="notice notice-secret" id={ids.warn}>
        Once recorded, version {draft.version} becomes the policy in force and can no longer be changed.
      </p>
      <div className="field">
        <label htmlFor={ids.on}>Date governors approved it</label>
        <input id={ids.on} type="date" value={approvedOn} max={today} onChange={(e) => setApprovedOn(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor={ids.body}>Approved by</label>
        <input id={ids.body} value={body} onChange={(e) => setBody(e.target.value)} required maxLength={200} list={`${ids.body}-bodies`} />
        <datalist id={`${ids.body}-bodies`}>
          <option value="Full governing body" />
          <option value="Well-being sub-committee" />
        </datalist>
      </div>
      <div className="field">
        <label htmlFor={ids.minute}>Minute reference</label>
        <input id={ids.minute} value={minute} onChange={(e) => setMinute(e.target.value)} required maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor={ids.next}>Next review (leave empty for {draft.reviewMonths} months after approval)</label>
        <input id={ids.next} type="date" value={nextReview} onChange={(e) => setNextReview(e.target.value)} />
      </div>
      <ErrorNotice error={error} action="record the approval" />
      <div className="button-row">
        <button type="submit" disabled={busy} aria-describedby={ids.warn}>
          Record approval
        </button>
      </div>
    </form>
  );
}
