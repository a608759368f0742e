import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { IMPORT_KINDS } from '../components/import/common';
import { FileStep } from '../components/import/FileStep';
import { KindStep } from '../components/import/KindStep';
import { MappingStep } from '../components/import/MappingStep';
import { RecentImports } from '../components/import/RecentImports';
import { ReportView } from '../components/import/ReportView';
import { Page } from '../components/Page';
import type { ImportFile, ImportKind, ImportOptions, ImportPreview, ImportReport } from '../types';
import { useSchool } from '../school';

type Wizard =
  | { step: 'kind' }
  | { step: 'file'; kind: ImportKind }
  | { step: 'mapping'; kind: ImportKind; file: ImportFile; preview: ImportPreview; options: ImportOptions | null }
  | { step: 'check'; kind: ImportKind; file: ImportFile; preview: ImportPreview; options: ImportOptions; report: ImportReport }
  | { step: 'done'; kind: ImportKind; report: ImportReport; labels: Record<string, string> };

const labelsOf = (preview: ImportPreview) => Object.fromEntries((preview.fields ?? []).map((f) => [f.field, f.label]));

const STEPS: { key: Wizard['step']; label: string }[] = [
  { key: 'kind', label: 'Kind of data' },
  { key: 'file', label: 'File' },
  { key: 'mapping', label: 'Columns' },
  { key: 'check', label: 'Check' },
  { key: 'done', label: 'Done' },
];

export function Import() {
  const [wizard, setWizard] = useState<Wizard>({ step: 'kind' });
  const kind = wizard.step === 'kind' ? null : wizard.kind;
  return (
    <Page title="Import from your MIS">
      <ol className="wizard-steps" aria-label="Import steps">
        {STEPS.map((s, i) => (
          <li key={s.key} aria-current={s.key === wizard.step ? 'step' : undefined}>
            <span className="step-number">{i + 1}</span> {s.label}
          </li>
        ))}
      </ol>
      {kind && <p className="muted">Importing: {IMPORT_KINDS[kind].label.toLowerCase()}</p>}
      <Step wizard={wizard} setWizard={setWizard} />
    </Page>
  );
}

function Step({ wizard, setWizard }: { wizard: Wizard; setWizard: (w: Wizard) => void }) {
  switch (wizard.step) {
    case 'kind':
      return (
        <>
          <h2>1. What are you importing?</h2>
          <KindStep initial={null} onNext={(kind) => setWizard({ step: 'file', kind })} />
          <RecentImports />
        </>
      );
    case 'file':
      return (
        <>
          <h2>2. Choose the file</h2>
          <FileStep
            kind={wizard.kind}
            onBack={() => setWizard({ step: 'kind' })}
            onPreview={(file, preview) => setWizard({ step: 'mapping', kind: wizard.kind, file, preview, options: null })}
          />
        </>
      );
    case 'mapping':
      return (
        <>
          <h2>3. Match the columns</h2>
          <MappingStep
            file={wizard.file}
            preview={wizard.preview}
            initial={wizard.options}
            onBack={() => setWizard({ step: 'file', kind: wizard.kind })}
            onChecked={(options, report) => setWizard({ ...wizard, step: 'check', options, report })}
          />
        </>
      );
    case 'check':
      return <CheckStep wizard={wizard} setWizard={setWizard} />;
    case 'done':
      return (
        <>
          <h2>5. Import finished</h2>
          <p className="notice notice-good" role="status">
            The import was applied: {wizard.report.created} created, {wizard.report.updated} updated, {wizard.report.left} marked as left.
          </p>
          <ReportView report={wizard.report} labels={wizard.labels} />
          <div className="button-row">
            <Link className="button" to="/people">
              Go to people
            </Link>
            <button type="button" className="secondary" onClick={() => setWizard({ step: 'kind' })}>
              Import another file
            </button>
          </div>
        </>
      );
  }
}

function CheckStep({ wizard, setWizard }: { wizard: Extract<Wizard, { step: 'check' }>; setWizard: (w: Wizard) => void }) {
  const school = useSchool();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { report } = wizard;
  const rejected = report.status === 'rejected';
  const badRows = report.errorCount ?? new Set(report.errors.map((e) => e.line)).size;

  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const applied = await api.runImport(wizard.file, { ...wizard.options, dryRun: false, schoolId: school.schoolId });
      setWizard({ step: 'done', kind: wizard.kind, report: applied, labels: labelsOf(wizard.preview) });
    } catch (failure) {
      if (failure instanceof ApiError && failure.error === 'invalid_csv' && failure.details) {
        setWizard({ ...wizard, report: failure.details as ImportReport });
      } else setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2>4. Check what will change</h2>
      <ErrorNotice error={error} action="apply this import" />
      {rejected ? (
        <div className="notice notice-error" role="alert">
          <p>
            This file cannot be imported: it has {badRows} problem{badRows === 1 ? '' : 's'}. Correct them in your MIS, export the file
            again and choose the new file. Nothing has been changed.
          </p>
        </div>
      ) : (
        <div className="notice" role="status">
          <p>This was a trial run: nothing has been changed yet.</p>
          {report.left > 0 && (
            <p>
              <strong>
                {wizard.kind === 'classes'
                  ? `${report.left} ${report.left === 1 ? 'class that is' : 'classes that are'} not in this file will be archived.`
                  : `${report.left} ${report.left === 1 ? 'person who is' : 'people who are'} not in this file will be marked as having left the school and lose access.`}
              </strong>{' '}
              If the file is only part of the school, go back to the columns and untick the option that it is complete.
            </p>
          )}
        </div>
      )}
      <ReportView report={report} labels={labelsOf(wizard.preview)} />
      <div className="button-row">
        <button type="button" className="secondary" onClick={() => setWizard({ step: 'file', kind: wizard.kind })}>
          Choose a different file
        </button>
        <button type="button" className="secondary" onClick={() => setWizard({ ...wizard, step: 'mapping' })}>
          Change the columns
        </button>
        {!rejected && (
          <button type="button" onClick={() => void apply()} disabled={busy}>
            {busy ? 'Importing…' : 'Apply import'}
          </button>
        )}
      </div>
    </>
  );
}
