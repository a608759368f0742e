import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import type { ImportFile, ImportKind, ImportPreview } from '../../types';
import { ErrorNotice } from '../ErrorNotice';
import { IMPORT_KINDS, readAsBase64 } from './common';

export function FileStep(props: { kind: ImportKind; onBack: () => void; onPreview: (file: ImportFile, preview: ImportPreview) => void }) {
  const { kind, onBack, onPreview } = props;
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const upload: ImportFile = { kind, fileName: file.name, contentBase64: await readAsBase64(file) };
      onPreview(upload, await api.previewImport(upload));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="stack">
      <p>
        Export the {IMPORT_KINDS[kind].label.toLowerCase()} from your MIS (SIMS, Arbor, Bromcom or another) as a CSV file, then choose it
        here. Nothing changes until you have checked what the import will do.
      </p>
      <ErrorNotice error={error} action="import data" />
      <div className="field">
        <label htmlFor="import-file">CSV file</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv,text/plain"
          required
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <div className="button-row">
        <button type="button" className="secondary" onClick={onBack}>
          Back
        </button>
        <button type="submit" disabled={!file || busy}>
          {busy ? 'Reading the file…' : 'Upload and preview'}
        </button>
      </div>
    </form>
  );
}
