import { type FormEvent, useRef, useState } from 'react';
import { ApiError } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import type { IncidentDetail } from '../../types';
import { type CustodyEvent, type EvidenceFile, type EvidenceRules, evidenceApi, formatSize } from './evidenceApi';

const EVENT_LABELS: Record<CustodyEvent['event'], string> = {
  upload: 'Uploaded',
  view: 'Viewed',
  export: 'Exported',
  verify: 'Checked intact',
};

const isImageOrVideo = (type: string) => type.startsWith('image/') || type.startsWith('video/');

/** Evidence files of an incident, with their chain of custody. */
export function EvidenceSection({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const files = useApi(() => evidenceApi.list(incident.id), [incident.id]);
  const rules = useApi(() => evidenceApi.rules(incident.id), [incident.id]);
  // The server answers "not found" when this person does not handle this incident's evidence.
  const hidden = files.error instanceof ApiError && files.error.status === 404;
  return (
    <section aria-labelledby="incident-evidence">
      <h2 id="incident-evidence">Evidence</h2>
      {hidden ? (
        <p>You do not handle the evidence of this incident.</p>
      ) : (
        <>
          <p className="hint">
            Files are encrypted on the server. Each one keeps the SHA-256 fingerprint taken when it was added, and every view and export is
            written to its chain of custody.
          </p>
          {rules.data?.imagesAndVideoRefused && (
            <div className="notice notice-error" role="note" aria-label="Images and video not accepted">
              <p>
                <strong>Images and video are not accepted on this incident.</strong> {rules.data.imagesAndVideoRefused.message}
              </p>
            </div>
          )}
          <ErrorNotice error={files.error} action="see the evidence" />
          {files.data && <EvidenceList incidentId={incident.id} files={files.data} />}
          {rules.data && !rules.data.archived && (
            <AddEvidence
              incidentId={incident.id}
              rules={rules.data}
              onAdded={() => {
                files.reload();
                reload();
              }}
            />
          )}
          {rules.data?.archived && <p>This incident is archived: its evidence can be read and exported, but nothing can be added.</p>}
        </>
      )}
    </section>
  );
}

function EvidenceList({ incidentId, files }: { incidentId: string; files: EvidenceFile[] }) {
  if (files.length === 0) return <p>No evidence files yet.</p>;
  return (
    <ul className="plain-list incident-entries" aria-label="Evidence files">
      {files.map((f) => (
        <li key={f.id} aria-label={f.filename}>
          <p className="incident-entry-meta">
            <a href={evidenceApi.viewUrl(incidentId, f.id)} download={f.filename}>
              {f.filename}
            </a>{' '}
            ({f.mediaType}, {formatSize(f.sizeBytes)}), added by {f.uploadedBy.name}, {formatDateTime(f.uploadedAt)}
          </p>
          {f.description && <p className="incident-entry-body">{f.description}</p>}
          <p>
            SHA-256: <code style={{ overflowWrap: 'anywhere' }}>{f.sha256}</code>
          </p>
          <Custody incidentId={incidentId} file={f} />
          <ExportFile incidentId={incidentId} file={f} />
        </li>
      ))}
    </ul>
  );
}

/** Loaded each time it is opened, so views and exports made since are shown. */
function Custody({ incidentId, file }: { incidentId: string; file: EvidenceFile }) {
  const [opened, setOpened] = useState(0);
  const chain = useApi(() => (opened ? evidenceApi.custody(incidentId, file.id) : Promise.resolve(null)), [incidentId, file.id, opened]);
  return (
    <details onToggle={(e) => (e.currentTarget.open ? setOpened((n) => n + 1) : undefined)}>
      <summary>Chain of custody</summary>
      <ErrorNotice error={chain.error} action="read the chain of custody" />
      {chain.data && (
        <ol aria-label={`Chain of custody of ${file.filename}`}>
          {chain.data.map((c) => (
            <li key={c.seq}>
              {EVENT_LABELS[c.event] ?? c.event} by {c.by}, {formatDateTime(c.at)}
              {c.ip ? ` from ${c.ip}` : ''}
              {typeof c.details?.recipient === 'string' ? `, for ${c.details.recipient}` : ''}
              {c.sha256Seen && c.sha256Seen !== file.sha256 ? ' (a different SHA-256 was seen)' : ''}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

/** An export names who the copy is for, so the chain of custody says where it went. */
function ExportFile({ incidentId, file }: { incidentId: string; file: EvidenceFile }) {
  const [recipient, setRecipient] = useState('');
  const id = `evidence-export-${file.id}`;
  return (
    <div className="field">
      <label htmlFor={id}>Export {file.filename} for</label>
      <span className="hint" id={`${id}-hint`}>
        For example the police officer and crime reference, or the new school. Written to the chain of custody.
      </span>
      <div className="button-row">
        <input id={id} value={recipient} maxLength={200} onChange={(e) => setRecipient(e.target.value)} aria-describedby={`${id}-hint`} />
        <a className="button" href={evidenceApi.exportUrl(incidentId, file.id, recipient)} download={file.filename}>
          Export
        </a>
      </div>
    </div>
  );
}

function AddEvidence({ incidentId, rules, onAdded }: { incidentId: string; rules: EvidenceRules; onAdded: () => void }) {
  const announce = useAnnounce();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const accepted = rules.imagesAndVideoRefused ? rules.mediaTypes.filter((t) => !isImageOrVideo(t)) : rules.mediaTypes;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setError(null);
    if (file.size > rules.maxBytes) {
      setError(new Error(`${file.name} is ${formatSize(file.size)}; evidence files may be at most ${formatSize(rules.maxBytes)}.`));
      return;
    }
    setBusy(true);
    try {
      const added = await evidenceApi.upload(incidentId, file, description);
      setFile(null);
      setDescription('');
      if (input.current) input.current.value = '';
      announce(`Evidence added: ${added.filename}.`);
      onAdded();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" aria-label="Add evidence" onSubmit={submit}>
      <h3>Add evidence</h3>
      <div className="field">
        <label htmlFor="evidence-file">Evidence file</label>
        <span className="hint" id="evidence-file-hint">
          At most {formatSize(rules.maxBytes)}. Accepted: {accepted.join(', ')}.
        </span>
        <input
          ref={input}
          id="evidence-file"
          type="file"
          accept={accepted.join(',')}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          aria-describedby="evidence-file-hint"
          required
        />
      </div>
      <div className="field">
        <label htmlFor="evidence-description">Description</label>
        <span className="hint" id="evidence-description-hint">
          What the file shows and where it came from.
        </span>
        <textarea
          id="evidence-description"
          value={description}
          maxLength={2000}
          rows={2}
          onChange={(e) => setDescription(e.target.value)}
          aria-describedby="evidence-description-hint"
        />
      </div>
      <ErrorNotice error={error} action="add this evidence" />
      <div className="button-row">
        <button type="submit" disabled={busy || !file}>
          {busy ? 'Adding…' : 'Add the evidence'}
        </button>
      </div>
    </form>
  );
}
