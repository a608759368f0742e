import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { Badge } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { TableWrap } from '../../components/TableWrap';
import { useApi, useChange, useDebounced } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import { useMe } from '../../session';
import { mayDo } from './access';
import {
  CATEGORY_LABELS,
  categoryLabel,
  MONITOR_CATEGORIES,
  type MonitorCategory,
  SEVERITIES,
  SEVERITY_TONES,
  type Severity,
  severityLabel,
} from './alertsApi';
import {
  type EntryInput,
  falsePositiveText,
  type ImportMode,
  type ImportOutcome,
  type LibraryEntry,
  type LibraryProblem,
  type LibraryVersion,
  libraryApi,
  rulesSummary,
} from './libraryApi';
import './library.css';

const PAGE_SIZE = 100;

/**
 * The keyword library: its entries with their false-positive rates, and for the DSL the editor,
 * CSV import and the version history. Every change names the version it started from, so a
 * second DSL editing at the same time is told rather than overwritten.
 */
export function Library() {
  const me = useMe();
  const canEdit = mayDo(me, 'monitor.keywords.manage');
  const [category, setCategory] = useState('');
  const [language, setLanguage] = useState('');
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const [offset, setOffset] = useState(0);
  const page = useApi(() => libraryApi.page({ category, language, q, offset, limit: PAGE_SIZE }), [category, language, q, offset]);
  const versions = useApi(() => libraryApi.versions(), []);
  const [editing, setEditing] = useState<LibraryEntry | 'new' | null>(null);
  // The version on screen: every change is checked against it on the server.
  const baseVersion = page.data?.version;
  const reloadAll = () => {
    page.reload();
    versions.reload();
  };
  const changed = () => {
    setEditing(null);
    reloadAll();
  };

  return (
    <Page
      title="Keyword library"
      lead="The words and phrases monitoring looks for, by category and severity. Each change is kept as a new version, and any version can be restored."
    >
      {page.data && (
        <p className="keywords-version">
          {page.data.version === 0 ? (
            <>Version 0: the built-in default library.</>
          ) : (
            <>
              Version {page.data.version}, saved {formatDateTime(page.data.createdAt)}
              {page.data.createdBy ? ` by ${page.data.createdBy}` : ''}.
            </>
          )}{' '}
          {page.data.entryCount} entries.{' '}
          <a className="button secondary" href={libraryApi.exportUrl} download>
            Export as CSV
          </a>
        </p>
      )}

      <form className="filters" aria-label="Filter the library" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="keywords-category">Category</label>
          <select
            id="keywords-category"
            value={category}
            onChange={(e) => {
              setCategory(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">All categories</option>
            {MONITOR_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="keywords-language">Language</label>
          <select
            id="keywords-language"
            value={language}
            onChange={(e) => {
              setLanguage(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">All languages</option>
            {(page.data?.languages ?? []).map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-wide">
          <label htmlFor="keywords-search">Search terms</label>
          <input
            id="keywords-search"
            type="search"
            value={text}
            autoComplete="off"
            onChange={(e) => {
              setText(e.target.value);
              setOffset(0);
            }}
          />
        </div>
      </form>

      {canEdit && baseVersion !== undefined && editing === null && (
        <p>
          <button type="button" onClick={() => setEditing('new')}>
            Add an entry
          </button>
        </p>
      )}
      {canEdit && baseVersion !== undefined && editing !== null && (
        <EntryForm
          key={editing === 'new' ? 'new' : editing.id}
          baseVersion={baseVersion}
          entry={editing === 'new' ? null : editing}
          onSaved={changed}
          onCancel={() => setEditing(null)}
          onReload={reloadAll}
        />
      )}

      <ErrorNotice error={page.error} action="see the keyword library" />
      {page.data === undefined && !page.error && <p role="status">Loading the library…</p>}
      {page.data && (
        <>
          {page.data.entries.length === 0 ? (
            <p role="status">No entries match.</p>
          ) : (
            <EntryTable
              entries={page.data.entries}
              baseVersion={page.data.version}
              canEdit={canEdit}
              onEdit={(entry) => setEditing(entry)}
              onRemoved={changed}
              onReload={reloadAll}
            />
          )}
          <Pager offset={offset} limit={PAGE_SIZE} total={page.data.total} onChange={setOffset} label="Library pages" />
        </>
      )}

      {canEdit && baseVersion !== undefined && <ImportPanel baseVersion={baseVersion} onImported={changed} onReload={reloadAll} />}

      <section className="keywords-history" aria-labelledby="keywords-history-heading">
        <h2 id="keywords-history-heading">Version history</h2>
        <ErrorNotice error={versions.error} />
        {versions.data && (
          <VersionTable
            versions={versions.data}
            currentVersion={versions.data[0]?.version ?? 0}
            canEdit={canEdit}
            onRestored={changed}
            onReload={reloadAll}
          />
        )}
      </section>
    </Page>
  );
}

function EntryTable({
  entries,
  baseVersion,
  canEdit,
  onEdit,
  onRemoved,
  onReload,
}: {
  entries: LibraryEntry[];
  baseVersion: number;
  canEdit: boolean;
  onEdit: (entry: LibraryEntry) => void;
  onRemoved: () => void;
  onReload: () => void;
}) {
  return (
    <TableWrap label="Library entries">
      <table className="keywords-table">
        <thead>
          <tr>
            <th scope="col">Term</th>
            <th scope="col">Category</th>
            <th scope="col">Severity</th>
            <th scope="col">Language</th>
            <th scope="col">Rules</th>
            <th scope="col">False positives</th>
            {canEdit && (
              <th scope="col">
                <span className="visually-hidden">Change</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <th scope="row">{entry.term}</th>
              <td>{categoryLabel(entry.category)}</td>
              <td>
                <Badge tone={SEVERITY_TONES[entry.severity]}>{severityLabel(entry.severity)}</Badge>
              </td>
              <td>{entry.language}</td>
              <td>
                {rulesSummary(entry)}
                {entry.exceptions && entry.exceptions.length > 0 && (
                  <span className="keywords-exceptions">Not in: {entry.exceptions.map((x) => `“${x}”`).join(', ')}</span>
                )}
              </td>
              <td className={entry.falsePositiveRate !== null && entry.falsePositiveRate >= 0.5 ? 'keywords-noisy' : undefined}>
                {falsePositiveText(entry)}
              </td>
              {canEdit && (
                <td>
                  <div className="button-row compact">
                    <button type="button" className="secondary small" aria-label={`Edit ${entry.term}`} onClick={() => onEdit(entry)}>
                      Edit
                    </button>
                    <DeleteEntry entry={entry} baseVersion={baseVersion} onRemoved={onRemoved} onReload={onReload} />
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function DeleteEntry({
  entry,
  baseVersion,
  onRemoved,
  onReload,
}: {
  entry: LibraryEntry;
  baseVersion: number;
  onRemoved: () => void;
  onReload: () => void;
}) {
  return (
    <AskThenChange
      ask={{ label: 'Delete', ariaLabel: `Delete ${entry.term}` }}
      confirm={{ label: `Confirm delete ${entry.term}`, className: 'danger small' }}
      change={() => libraryApi.removeEntry(baseVersion, entry.id)}
      done={`Deleted ${entry.term}.`}
      onDone={onRemoved}
      onReload={onReload}
    />
  );
}

/**
 * A change that asks once more before it is made: the button, then "Confirm …" and "Cancel",
 * and the error (with the way to reload) if someone else saved first.
 */
function AskThenChange({
  ask,
  confirm,
  change,
  done,
  onDone,
  onReload,
}: {
  ask: { label: string; ariaLabel?: string };
  confirm: { label: string; className: string };
  change: () => Promise<unknown>;
  done: string;
  onDone: () => void;
  onReload: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const { busy, error, run } = useChange();
  if (!asking) {
    return (
      <button type="button" className="secondary small" aria-label={ask.ariaLabel} onClick={() => setAsking(true)}>
        {ask.label}
      </button>
    );
  }
  return (
    <div className="button-row compact">
      <button
        type="button"
        className={confirm.className}
        disabled={busy}
        onClick={async () => {
          if (await run(change, done)) onDone();
        }}
      >
        {confirm.label}
      </button>
      <button type="button" className="secondary small" onClick={() => setAsking(false)}>
        Cancel
      </button>
      <ChangeError error={error} onReload={onReload} />
    </div>
  );
}

/** The add and edit form: the term, its category and severity, and the rules that narrow it. */
function EntryForm({
  baseVersion,
  entry,
  onSaved,
  onCancel,
  onReload,
}: {
  baseVersion: number;
  entry: LibraryEntry | null;
  onSaved: () => void;
  onCancel: () => void;
  onReload: () => void;
}) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [form, setForm] = useState({
    term: entry?.term ?? '',
    category: (entry?.category ?? '') as MonitorCategory | '',
    severity: (entry?.severity ?? 'medium') as Severity,
    language: entry?.language ?? 'en',
    wholeWord: entry?.wholeWord !== false,
    nearPhrase: entry?.near?.phrase ?? '',
    nearWords: String(entry?.near?.words ?? 3),
    exceptions: (entry?.exceptions ?? []).join('\n'),
  });
  const { busy, error, run } = useChange();
  useEffect(() => heading.current?.focus(), []);
  const title = entry ? `Edit “${entry.term}”` : 'Add an entry';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (form.category === '') return;
    const body: EntryInput = {
      term: form.term.trim(),
      category: form.category,
      severity: form.severity,
      language: form.language.trim(),
      wholeWord: form.wholeWord,
    };
    if (form.nearPhrase.trim()) body.near = { phrase: form.nearPhrase.trim(), words: Number(form.nearWords) };
    const exceptions = form.exceptions
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean);
    if (exceptions.length > 0) body.exceptions = exceptions;
    const ok = await run(
      () => (entry ? libraryApi.updateEntry(baseVersion, entry.id, body) : libraryApi.addEntry(baseVersion, body)),
      entry ? `Saved ${body.term}.` : `Added ${body.term}.`,
    );
    if (ok) onSaved();
  };

  return (
    <form className="stack panel keywords-entry-form" aria-labelledby={`${id}-heading`} onSubmit={submit}>
      <h2 id={`${id}-heading`} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <div className="field">
        <label htmlFor={`${id}-term`}>Word or phrase</label>
        <span className="hint" id={`${id}-term-hint`}>
          As a pupil would write it. Spelling tricks (k.m.s, k1ll, repeated letters) are folded by the matcher and need no entry of their
          own.
        </span>
        <input
          id={`${id}-term`}
          value={form.term}
          onChange={(e) => setForm({ ...form, term: e.target.value })}
          required
          maxLength={200}
          autoComplete="off"
          aria-describedby={`${id}-term-hint`}
        />
      </div>
      <div className="keywords-form-row">
        <div className="field">
          <label htmlFor={`${id}-category`}>Category</label>
          <select
            id={`${id}-category`}
            value={form.category}
            required
            onChange={(e) => setForm({ ...form, category: e.target.value as MonitorCategory | '' })}
          >
            <option value="">Choose a category…</option>
            {MONITOR_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-severity`}>Severity</label>
          <select id={`${id}-severity`} value={form.severity} onChange={(e) => setForm({ ...form, severity: e.target.value as Severity })}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {severityLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-language`}>Language</label>
          <input
            id={`${id}-language`}
            value={form.language}
            onChange={(e) => setForm({ ...form, language: e.target.value })}
            required
            size={6}
            maxLength={35}
            autoComplete="off"
          />
        </div>
      </div>
      <div className="checkbox">
        <input
          id={`${id}-whole`}
          type="checkbox"
          checked={form.wholeWord}
          onChange={(e) => setForm({ ...form, wholeWord: e.target.checked })}
        />
        <label htmlFor={`${id}-whole`}>Whole words only (untick to find it inside longer words too)</label>
      </div>
      <fieldset>
        <legend>Only near another phrase (optional)</legend>
        <div className="keywords-form-row">
          <div className="field">
            <label htmlFor={`${id}-near`}>Near phrase</label>
            <input
              id={`${id}-near`}
              value={form.nearPhrase}
              onChange={(e) => setForm({ ...form, nearPhrase: e.target.value })}
              maxLength={200}
              autoComplete="off"
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-near-words`}>Within how many words</label>
            <input
              id={`${id}-near-words`}
              type="number"
              min={1}
              max={50}
              value={form.nearWords}
              onChange={(e) => setForm({ ...form, nearWords: e.target.value })}
            />
          </div>
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-exceptions`}>Exceptions (optional)</label>
        <span className="hint" id={`${id}-exceptions-hint`}>
          Harmless phrases that contain the term, one a line: a match inside one raises nothing (“killing myself laughing”).
        </span>
        <textarea
          id={`${id}-exceptions`}
          rows={3}
          value={form.exceptions}
          onChange={(e) => setForm({ ...form, exceptions: e.target.value })}
          aria-describedby={`${id}-exceptions-hint`}
        />
      </div>
      <ChangeError error={error} onReload={onReload} />
      <div className="button-row">
        <button type="submit" disabled={busy}>
          {entry ? 'Save the entry' : 'Add the entry'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** CSV import: a dry run first shows what would change, or every bad row; then the DSL confirms. */
function ImportPanel({ baseVersion, onImported, onReload }: { baseVersion: number; onImported: () => void; onReload: () => void }) {
  const id = useId();
  const announce = useAnnounce();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('merge');
  const [checked, setChecked] = useState<{ csv: string; fileName: string; mode: ImportMode; outcome: ImportOutcome } | null>(null);
  const [problems, setProblems] = useState<LibraryProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setProblems([]);
    try {
      await work();
    } catch (failure) {
      const rows = failure instanceof ApiError && failure.error === 'monitor.invalid_library' ? problemsOf(failure) : [];
      if (rows.length > 0) setProblems(rows);
      else setError(failure);
      setChecked(null);
    } finally {
      setBusy(false);
    }
  };

  const check = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    return attempt(async () => {
      const csv = await file.text();
      const outcome = await libraryApi.importCsv({ baseVersion, csv, mode, dryRun: true, fileName: file.name });
      setChecked({ csv, fileName: file.name, mode, outcome });
    });
  };

  const confirm = () =>
    attempt(async () => {
      if (!checked) return;
      const outcome = await libraryApi.importCsv({
        baseVersion,
        csv: checked.csv,
        mode: checked.mode,
        dryRun: false,
        fileName: checked.fileName,
      });
      setChecked(null);
      setFile(null);
      announce(
        outcome.added + outcome.changed + outcome.removed === 0
          ? 'The file matches the library; nothing changed.'
          : `Imported: ${outcome.added} added, ${outcome.changed} changed, ${outcome.removed} removed.`,
      );
      onImported();
    });

  return (
    <section className="panel keywords-import" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Import from CSV</h2>
      <p>
        Columns: id (optional), term, category, severity, language, whole_word, near_phrase, near_words, exceptions (separated by |). Export
        the library for an example. Nothing changes until you confirm.
      </p>
      <form className="stack" onSubmit={check} aria-label="Import a CSV file">
        <div className="field">
          <label htmlFor={`${id}-file`}>CSV file</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv,text/plain"
            required
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setChecked(null);
              setProblems([]);
            }}
          />
        </div>
        <fieldset>
          <legend>The file</legend>
          <div className="checkbox">
            <input id={`${id}-merge`} type="radio" name={`${id}-mode`} checked={mode === 'merge'} onChange={() => setMode('merge')} />
            <label htmlFor={`${id}-merge`}>Adds to the library (rows with an existing id replace that entry)</label>
          </div>
          <div className="checkbox">
            <input id={`${id}-replace`} type="radio" name={`${id}-mode`} checked={mode === 'replace'} onChange={() => setMode('replace')} />
            <label htmlFor={`${id}-replace`}>Replaces the whole library (entries not in the file are removed)</label>
          </div>
        </fieldset>
        <div className="button-row">
          <button type="submit" className="secondary" disabled={!file || busy}>
            Check the file
          </button>
        </div>
      </form>
      <ChangeError error={error} onReload={onReload} />
      {problems.length > 0 && (
        <div className="notice notice-error" role="alert">
          <h3>Nothing was imported: the file has {problems.length === 1 ? 'a problem' : `${problems.length} problems`}</h3>
          <ul aria-label="Problems in the file">
            {problems.map((p) => (
              <li key={`${p.row ?? p.entryId ?? ''}: ${p.message}`}>
                {p.row !== undefined ? `Row ${p.row}: ` : p.entryId ? `Entry ${p.entryId}: ` : ''}
                {p.message}
              </li>
            ))}
          </ul>
          <p>Fix these rows and check the file again.</p>
        </div>
      )}
      {checked && (
        <div className="notice notice-good" role="status" aria-label="What the import would do">
          <p>
            {checked.fileName}: {checked.outcome.added} to add, {checked.outcome.changed} to change, {checked.outcome.removed} to remove.
          </p>
          <div className="button-row">
            <button type="button" onClick={confirm} disabled={busy}>
              Confirm the import
            </button>
            <button type="button" className="secondary" onClick={() => setChecked(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function VersionTable({
  versions,
  currentVersion,
  canEdit,
  onRestored,
  onReload,
}: {
  versions: LibraryVersion[];
  currentVersion: number;
  canEdit: boolean;
  onRestored: () => void;
  onReload: () => void;
}) {
  return (
    <TableWrap label="Versions">
      <table>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Saved</th>
            <th scope="col">What changed</th>
            <th scope="col">Entries</th>
            {canEdit && (
              <th scope="col">
                <span className="visually-hidden">Restore</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <th scope="row">
                {v.version}
                {v.version === currentVersion && ' (in force)'}
              </th>
              <td>{v.createdAt ? `${formatDateTime(v.createdAt)}${v.createdBy ? ` by ${v.createdBy}` : ''}` : 'Built in'}</td>
              <td>{v.summary}</td>
              <td>{v.entryCount}</td>
              {canEdit && (
                <td>
                  {v.version !== currentVersion && (
                    <RestoreVersion version={v.version} baseVersion={currentVersion} onRestored={onRestored} onReload={onReload} />
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function RestoreVersion({
  version,
  baseVersion,
  onRestored,
  onReload,
}: {
  version: number;
  baseVersion: number;
  onRestored: () => void;
  onReload: () => void;
}) {
  return (
    <AskThenChange
      ask={{ label: `Restore version ${version}` }}
      confirm={{ label: `Confirm restoring version ${version}`, className: 'small' }}
      change={() => libraryApi.restore(baseVersion, version)}
      done={`Restored version ${version} as a new version.`}
      onDone={onRestored}
      onReload={onReload}
    />
  );
}

/** A failed change; when someone else saved first, the way to see their version. */
function ChangeError({ error, onReload }: { error: unknown; onReload: () => void }) {
  if (!error) return null;
  return (
    <>
      <ErrorNotice error={error} action="change the keyword library" />
      {error instanceof ApiError && error.error === 'conflict' && (
        <p>
          <button type="button" className="secondary" onClick={onReload}>
            Reload the library
          </button>
        </p>
      )}
    </>
  );
}

function problemsOf(error: ApiError): LibraryProblem[] {
  const details = error.details as { errors?: LibraryProblem[] } | undefined;
  return Array.isArray(details?.errors) ? details.errors : [];
}
