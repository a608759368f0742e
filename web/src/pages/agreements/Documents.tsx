import { type FormEvent, useEffect, useId, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { RULES } from '../../../../src/access/policy';
import { ApiError } from '../../api';
import { useAnnounce } from '../../components/Announcer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi, useChange, useSubmit } from '../../components/hooks';
import { Page } from '../../components/Page';
import { formatLongDate } from '../../labels';
import { useMe } from '../../session';
import type { Me } from '../../types';
import { AUDIENCES, type AgreementSettings, type AudienceDocuments, agreementsApi, audienceLabel } from './agreementsApi';
import { Markdown } from './Markdown';
import './agreements.css';

const canManage = (me: Me) => (RULES['agreement.manage'].roles as readonly string[]).some((r) => me.roles.includes(r));

/** The agreement texts per audience, their history, and (for the head) new versions and the renewal date. */
export function Documents() {
  const me = useMe();
  const manage = canManage(me);
  const [params, setParams] = useSearchParams();
  const audience = params.get('audience') ?? AUDIENCES[0]!.id;
  const { data, error, loading, reload } = useApi(() => agreementsApi.documents(), []);
  const current = data?.audiences.find((a) => a.audience === audience);
  return (
    <Page title="Agreement texts" lead="The acceptable-use agreement for each audience, every version kept.">
      <nav className="audience-tabs" aria-label="Audiences">
        <ul>
          {AUDIENCES.map((a) => (
            <li key={a.id}>
              <a
                href={`?audience=${a.id}`}
                aria-current={a.id === audience ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  setParams({ audience: a.id }, { replace: true });
                }}
              >
                {a.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <ErrorNotice error={error} action="see the agreement texts" />
      {loading && !data && <p role="status">Loading…</p>}
      {data && !current && <p>There is no agreement for this audience.</p>}
      {current && <AudienceView key={current.audience} doc={current} manage={manage} onPublished={reload} />}
      <Renewal manage={manage} />
    </Page>
  );
}

function AudienceView({ doc, manage, onPublished }: { doc: AudienceDocuments; manage: boolean; onPublished: () => void }) {
  const [shown, setShown] = useState<number | null>(null);
  const old = useApi(() => (shown === null ? Promise.resolve(null) : agreementsApi.version(doc.audience, shown)), [doc.audience, shown]);
  const c = doc.current;
  return (
    <section aria-labelledby="audience-heading">
      <h2 id="audience-heading">{audienceLabel(doc.audience)}</h2>
      {c ? (
        <>
          <p className="hint">
            Version {c.version}, published {formatLongDate(c.createdAt)}
            {c.changeNote ? `: ${c.changeNote}` : ''}
          </p>
          <article className="agreement-text" aria-labelledby="current-title">
            <h3 id="current-title">{c.title}</h3>
            <Markdown source={c.bodyMd} topLevel={4} />
          </article>
        </>
      ) : (
        <p>No version has been published yet.</p>
      )}
      {doc.versions.length > 0 && (
        <section aria-labelledby="history-heading">
          <h3 id="history-heading">History</h3>
          <ol className="version-list" reversed>
            {[...doc.versions]
              .sort((a, b) => b.version - a.version)
              .map((v) => (
                <li key={v.version}>
                  <strong>Version {v.version}</strong>, {formatLongDate(v.createdAt)}
                  {v.changeNote ? ` — ${v.changeNote}` : ''}{' '}
                  {v.version !== c?.version && (
                    <button type="button" className="link-button" onClick={() => setShown(shown === v.version ? null : v.version)}>
                      {shown === v.version ? `Hide version ${v.version}` : `Read version ${v.version}`}
                    </button>
                  )}
                </li>
              ))}
          </ol>
          <ErrorNotice error={old.error} />
          {old.data && (
            <article className="agreement-text agreement-old" aria-label={`Version ${old.data.version}`}>
              <h4>
                {old.data.title} (version {old.data.version})
              </h4>
              <Markdown source={old.data.bodyMd} topLevel={5} />
            </article>
          )}
        </section>
      )}
      {manage && <PublishForm doc={doc} onPublished={onPublished} />}
    </section>
  );
}

function PublishForm({ doc, onPublished }: { doc: AudienceDocuments; onPublished: () => void }) {
  const announce = useAnnounce();
  const { busy, error, run } = useSubmit();
  const [title, setTitle] = useState(doc.current?.title ?? '');
  const [body, setBody] = useState(doc.current?.bodyMd ?? '');
  const [note, setNote] = useState('');
  const ids = { title: useId(), body: useId(), note: useId(), warn: useId() };
  const next = (doc.current?.version ?? 0) + 1;
  const label = audienceLabel(doc.audience).toLowerCase();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await agreementsApi.publish(doc.audience, { title: title.trim(), bodyMd: body, changeNote: note.trim() });
      announce(`Version ${next} published. Everyone in ${label} must accept it again.`);
      setNote('');
      onPublished();
    });
  };
  return (
    <form className="publish-form stack" aria-label="Publish a new version" onSubmit={submit}>
      <h3>Publish a new version</h3>
      <p className="notice notice-secret" id={ids.warn}>
        When you publish version {next}, everyone in {label} must accept the agreement again before it counts as accepted.
      </p>
      <div className="field">
        <label htmlFor={ids.title}>Title</label>
        <input id={ids.title} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor={ids.body}>Text (Markdown)</label>
        <span className="hint">Headings start with #, list items with -, **bold**, *italic*, [link text](https://example.org).</span>
        <textarea id={ids.body} value={body} onChange={(e) => setBody(e.target.value)} required rows={16} />
      </div>
      <section className="agreement-preview" aria-label="Preview">
        <h4>Preview</h4>
        <div className="agreement-text">
          <Markdown source={body} topLevel={5} />
        </div>
      </section>
      <div className="field">
        <label htmlFor={ids.note}>What has changed</label>
        <input id={ids.note} value={note} onChange={(e) => setNote(e.target.value)} required maxLength={500} />
      </div>
      <ErrorNotice error={error} action="publish a new version" />
      <div className="button-row">
        <button type="submit" disabled={busy} aria-describedby={ids.warn}>
          Publish version {next}
        </button>
      </div>
    </form>
  );
}

const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' });
const MONTHS = Array.from({ length: 12 }, (_, m) => ({ value: m + 1, label: monthName.format(new Date(Date.UTC(2024, m, 1))) }));
// A common year: the renewal must fall every year, so 29 February is not offered.
const daysIn = (month: number) => new Date(Date.UTC(2025, month, 0)).getUTCDate();
const DAYS = Array.from({ length: 31 }, (_, i) => i + 1);
const pad = (n: number) => String(n).padStart(2, '0');
const renewalText = (renewOn: string) => {
  const [m, d] = renewOn.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, m! - 1, d!)));
};

/** The day each year when everyone's acceptance lapses and is asked for again. */
function Renewal({ manage }: { manage: boolean }) {
  const announce = useAnnounce();
  const { data, error, reload } = useApi(() => agreementsApi.settings(), []);
  const { busy, error: saveError, run } = useSubmit();
  const [month, setMonth] = useState(9);
  const [day, setDay] = useState(1);
  const ids = { month: useId(), day: useId() };
  useEffect(() => {
    if (!data) return;
    const [m, d] = data.renewOn.split('-').map(Number);
    setMonth(m!);
    setDay(d!);
  }, [data]);
  // A reader without access to the setting simply does not see it.
  if (error instanceof ApiError && error.status === 403) return null;
  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const saved = await agreementsApi.saveSettings({ renewOn: `${pad(month)}-${pad(Math.min(day, daysIn(month)))}` });
      announce(`Agreements will be renewed each year on ${renewalText(saved.renewOn)}.`);
      reload();
    });
  };
  return (
    <section aria-labelledby="renewal-heading" className="renewal">
      <h2 id="renewal-heading">Yearly renewal</h2>
      <ErrorNotice error={error} />
      {data && (
        <p>
          Everyone accepts their agreement again each year from <strong>{renewalText(data.renewOn)}</strong>.
        </p>
      )}
      {manage && data && (
        <form className="renewal-form" aria-label="Renewal date" onSubmit={save}>
          <div className="field">
            <label htmlFor={ids.day}>Day</label>
            <select id={ids.day} value={day} onChange={(e) => setDay(Number(e.target.value))}>
              {DAYS.slice(0, daysIn(month)).map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.month}>Month</label>
            <select id={ids.month} value={month} onChange={(e) => setMonth(Number(e.target.value))}>
              {MONTHS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </div>
          <ErrorNotice error={saveError} action="change the renewal date" />
          <button type="submit" disabled={busy}>
            Save renewal date
          </button>
        </form>
      )}
      {data && <FilterHold manage={manage} settings={data} saved={reload} />}
    </section>
  );
}

/** Whether the web filter holds people at the accept page until they accept. */
function FilterHold({ manage, settings, saved }: { manage: boolean; settings: AgreementSettings; saved: () => void }) {
  const { busy, error, run } = useChange();
  const id = useId();
  // Shown at once; put back if the save fails.
  const [on, setOn] = useState(settings.holdInFilter);
  useEffect(() => setOn(settings.holdInFilter), [settings.holdInFilter]);
  const change = (holdInFilter: boolean) => {
    setOn(holdInFilter);
    void run(
      async () => {
        try {
          await agreementsApi.saveSettings({ renewOn: settings.renewOn, holdInFilter });
        } catch (failure) {
          setOn(!holdInFilter);
          throw failure;
        }
        saved();
      },
      holdInFilter
        ? 'The web filter now holds people at their agreement until they accept.'
        : 'The web filter no longer holds people who have not accepted.',
    );
  };
  return (
    <div className="field">
      <p>
        {settings.holdInFilter
          ? 'The web filter opens nothing but Tutela to someone who has not accepted their agreement this year, until they accept. Key Stage 1 pupils are never held: a parent or carer accepts for them.'
          : 'The web filter does not hold people who have not accepted their agreement.'}
      </p>
      {manage && (
        <label htmlFor={id}>
          <input id={id} type="checkbox" checked={on} disabled={busy} onChange={(e) => change(e.target.checked)} /> Hold people in the web
          filter until they accept
        </label>
      )}
      <ErrorNotice error={error} action="change the filter setting" />
    </div>
  );
}
