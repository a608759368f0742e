import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { useApi } from '../../components/hooks';
import { useMe } from '../../session';
import type { FilterCategory, FilterProfile, FilterSettings } from '../../types';
import { GROUP_LABELS, mayDo } from './labels';
import { ReasonField, WhenLoaded, useChange, useFilterApi } from './parts';

/** The school-wide filtering settings: which blocks alert the DSL, the fallback profile, the time zone. */
export function Settings() {
  const filter = useFilterApi();
  const me = useMe();
  const settings = useApi(() => filter.settings(), [filter]);
  const categories = useApi(() => filter.categories(), [filter]);
  const profiles = useApi(() => filter.profiles(), [filter]);
  const all = {
    data: settings.data && categories.data && profiles.data ? true : undefined,
    error: settings.error ?? categories.error ?? profiles.error,
    loading: false,
  };
  return (
    <Page
      title="Filtering settings"
      lead="What the whole school shares: which blocked categories the designated safeguarding lead hears about at once, the profile for anyone the filter cannot place, and the school's time zone."
    >
      <p>
        <Link to="/filtering/profiles">Back to the profiles</Link>
      </p>
      <WhenLoaded state={all} what="settings">
        {() => (
          <SettingsForm
            // A saved change starts a fresh draft from what the server now holds.
            key={settings.data!.policyVersion}
            settings={settings.data!}
            categories={categories.data!}
            profiles={profiles.data!}
            readOnly={!mayDo(me, 'filter.manage')}
            onSaved={settings.reload}
          />
        )}
      </WhenLoaded>
    </Page>
  );
}

function SettingsForm({
  settings,
  categories,
  profiles,
  readOnly,
  onSaved,
}: {
  settings: FilterSettings;
  categories: FilterCategory[];
  profiles: FilterProfile[];
  readOnly: boolean;
  onSaved: () => void;
}) {
  const filter = useFilterApi();
  const ids = { fallback: useId(), zone: useId() };
  const [alerting, setAlerting] = useState<Set<string>>(() => new Set(settings.alertingCategories));
  const [fallback, setFallback] = useState(settings.fallbackProfileId ?? '');
  const [timeZone, setTimeZone] = useState(settings.timeZone);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useChange();
  const groups = useMemo(() => [...new Set(categories.map((c) => c.group))], [categories]);
  // The locked lists always alert, whatever is stored; they are sent too so the list says so.
  const chosen = categories.filter((c) => c.locked || alerting.has(c.id)).map((c) => c.id);
  const alertingChanged =
    JSON.stringify([...chosen].sort()) !==
    JSON.stringify([...new Set([...settings.alertingCategories, ...categories.filter((c) => c.locked).map((c) => c.id)])].sort());
  const changed = alertingChanged || fallback !== (settings.fallbackProfileId ?? '') || timeZone.trim() !== settings.timeZone;

  const toggle = (id: string, on: boolean) =>
    setAlerting((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await run(
      () =>
        filter.updateSettings({
          alertingCategories: alertingChanged ? chosen : undefined,
          fallbackProfileId: fallback !== (settings.fallbackProfileId ?? '') && fallback ? fallback : undefined,
          timeZone: timeZone.trim() !== settings.timeZone ? timeZone.trim() : undefined,
          reason: reason.trim(),
        }),
      'Filtering settings saved.',
    );
    if (ok) onSaved();
  };

  return (
    <form className="stack" aria-label="Filtering settings" onSubmit={submit}>
      <fieldset className="panel">
        <legend>Categories that alert the DSL</legend>
        <p className="hint">
          When someone is blocked from a site in a ticked category, every designated safeguarding lead gets a notification (and an e-mail
          when e-mail is set up). The illegal lists always alert.
        </p>
        {groups.map((g) => (
          <fieldset key={g}>
            <legend>{GROUP_LABELS[g] ?? g}</legend>
            <div className="checkbox-grid">
              {categories
                .filter((c) => c.group === g)
                .map((c) => (
                  <label key={c.id} className="checkbox">
                    <input
                      type="checkbox"
                      checked={c.locked || alerting.has(c.id)}
                      disabled={readOnly || c.locked}
                      onChange={(e) => toggle(c.id, e.target.checked)}
                    />
                    <span>
                      {c.label}
                      {c.locked && <span className="hint"> (always alerts)</span>}
                    </span>
                  </label>
                ))}
            </div>
          </fieldset>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={ids.fallback}>Fallback profile</label>
        <span className="hint" id={`${ids.fallback}-hint`}>
          For a request the filter cannot place: no signed-in person, no known device, no subnet with a profile.
        </span>
        <select
          id={ids.fallback}
          value={fallback}
          disabled={readOnly}
          onChange={(e) => setFallback(e.target.value)}
          aria-describedby={`${ids.fallback}-hint`}
        >
          {!settings.fallbackProfileId && <option value="">Choose a profile…</option>}
          {profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.zone}>Time zone</label>
        <span className="hint" id={`${ids.zone}-hint`}>
          The school day's times are in this zone. A name such as Europe/London.
        </span>
        <input
          id={ids.zone}
          value={timeZone}
          readOnly={readOnly}
          onChange={(e) => setTimeZone(e.target.value)}
          required
          aria-describedby={`${ids.zone}-hint`}
          autoComplete="off"
        />
      </div>
      {!readOnly && (
        <div className="panel">
          <ReasonField value={reason} onChange={setReason} />
          <button type="submit" disabled={busy || !changed || !reason.trim()}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
          <ErrorNotice error={error} action="change the filtering settings" />
        </div>
      )}
    </form>
  );
}
