import { useState, type FormEvent } from 'react';
import { ApiError, api } from '../../api';
import type { ImportField, ImportFile, ImportOptions, ImportPreview, ImportReport } from '../../types';
import { ErrorNotice } from '../ErrorNotice';
import { TableWrap } from '../TableWrap';
import { LEAVERS, fieldLabel } from './common';
import { useSchool } from '../../school';

const SAMPLE_ROWS = 5;

/** Which column of the file feeds each field; the server's guesses come pre-selected. */
export function MappingStep(props: {
  file: ImportFile;
  preview: ImportPreview;
  initial: ImportOptions | null;
  onBack: () => void;
  onChecked: (options: ImportOptions, report: ImportReport) => void;
}) {
  const { file, preview, initial, onBack, onChecked } = props;
  const fields = fieldsOf(preview);
  // Every field is sent, '' for "not in this file": a field left out would fall back to the server's guess.
  const [mapping, setMapping] = useState<Record<string, string>>(
    () => initial?.mapping ?? Object.fromEntries(fields.map((f) => [f.field, preview.suggestedMapping[f.field] ?? ''])),
  );
  const [markLeavers, setMarkLeavers] = useState(initial?.markLeavers ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const leavers = LEAVERS[file.kind];
  const { schoolId } = useSchool();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const options = { mapping, markLeavers };
    try {
      onChecked(options, await api.runImport(file, { ...options, dryRun: true, schoolId }));
    } catch (failure) {
      // A file with bad rows is refused with the full report: show it like any dry run.
      if (failure instanceof ApiError && failure.error === 'invalid_csv' && isReport(failure.details)) onChecked(options, failure.details);
      else setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="stack">
      <p>
        <strong>{file.fileName}</strong> has {preview.rowCount} row{preview.rowCount === 1 ? '' : 's'} and {preview.headers.length} columns
        (read as {preview.encoding}). Check which column holds each piece of information.
      </p>
      <ErrorNotice error={error} action="import data" />
      <fieldset>
        <legend>Columns</legend>
        <div className="mapping-grid">
          {fields.map(({ field, label, required }) => (
            <div className="field" key={field}>
              <label htmlFor={`map-${field}`}>
                {label}
                {required && <span className="required"> (required)</span>}
              </label>
              <select
                id={`map-${field}`}
                value={mapping[field] ?? ''}
                required={required}
                onChange={(e) => setMapping((m) => ({ ...m, [field]: e.target.value }))}
              >
                <option value="">Not in this file</option>
                {preview.headers.map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </div>
      </fieldset>
      {leavers && (
        <div className="checkbox">
          <input
            type="checkbox"
            id="mark-leavers"
            checked={markLeavers}
            onChange={(e) => setMarkLeavers(e.target.checked)}
            aria-describedby="mark-leavers-hint"
          />
          <label htmlFor="mark-leavers">{leavers.label}</label>
          <span className="hint" id="mark-leavers-hint">
            {leavers.hint}
          </span>
        </div>
      )}
      {preview.sampleRows.length > 0 && (
        <section aria-labelledby="sample-heading">
          <h3 id="sample-heading">The first rows of the file</h3>
          <TableWrap label="The first rows of the file">
            <table className="compact-table">
              <thead>
                <tr>
                  {preview.headers.map((h) => (
                    <th scope="col" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.sampleRows.slice(0, SAMPLE_ROWS).map((row, i) => (
                  <tr key={i}>
                    {preview.headers.map((h, j) => (
                      <td key={h}>{row[j] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      )}
      <div className="button-row">
        <button type="button" className="secondary" onClick={onBack}>
          Choose a different file
        </button>
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Check what will change'}
        </button>
      </div>
    </form>
  );
}

const fieldsOf = (preview: ImportPreview): ImportField[] =>
  preview.fields ?? Object.keys(preview.suggestedMapping).map((field) => ({ field, label: fieldLabel(field), required: false }));

const isReport = (value: unknown): value is ImportReport =>
  typeof value === 'object' && value !== null && 'errors' in value && Array.isArray((value as ImportReport).errors);
