import { type FormEvent, useId, useState } from 'react';
import { MONITOR_CATEGORIES, SEVERITIES, type Severity } from '../../../../src/monitor/keywords/types';
import { MONITOR_PROFILES, type MonitorProfile, PROFILE_LABELS } from '../../../../src/monitor/model';
import { MONITOR_CATEGORY_LABELS } from '../../../../src/monitor/reports/types';
import { useAnnounce } from '../../components/Announcer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { useApi, useSubmit } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import { type MonitorSettings, type PurgeResult, reportsApi } from './reportsApi';
import './reports.css';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const SEVERITY_LABELS: Record<Severity, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

/** A number field that keeps what was typed, so a half-typed value is not snapped back. */
function NumberField({
  label,
  hint,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  hint?: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        value={Number.isNaN(value) ? '' : value}
        onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
    </div>
  );
}

function SeveritySelect({
  label,
  value,
  allowDefault,
  onChange,
}: {
  label: string;
  value: Severity | undefined;
  allowDefault?: boolean;
  onChange: (value: Severity | undefined) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange((e.target.value || undefined) as Severity | undefined)}>
        {allowDefault && <option value="">As in the library</option>}
        {SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {SEVERITY_LABELS[s]}
          </option>
        ))}
      </select>
    </div>
  );
}

function ProfileFields({
  profile,
  settings,
  change,
}: {
  profile: MonitorProfile;
  settings: MonitorSettings;
  change: (edit: (draft: MonitorSettings) => void) => void;
}) {
  const p = settings.profiles[profile];
  const overrides = Object.keys(p.categorySeverity).length;
  return (
    <fieldset className="monitor-profile">
      <legend>{PROFILE_LABELS[profile]}</legend>
      <div className="monitor-grid">
        <NumberField
          label="Risk window (hours)"
          hint="Alerts for one person and category within this time count together."
          value={p.riskWindowHours}
          min={1}
          max={2160}
          onChange={(v) =>
            change((d) => {
              d.profiles[profile].riskWindowHours = v;
            })
          }
        />
        <NumberField
          label="Threshold"
          hint="When that many alerts build up, the next is raised one severity."
          value={p.riskThreshold}
          min={2}
          max={1000}
          onChange={(v) =>
            change((d) => {
              d.profiles[profile].riskThreshold = v;
            })
          }
        />
        <SeveritySelect
          label="Minimum severity"
          value={p.minimumSeverity}
          onChange={(v) =>
            change((d) => {
              d.profiles[profile].minimumSeverity = v ?? 'low';
            })
          }
        />
      </div>
      <details>
        <summary>Category severities ({overrides === 0 ? 'as in the library' : `${overrides} changed`})</summary>
        <div className="monitor-grid">
          {MONITOR_CATEGORIES.map((c) => (
            <SeveritySelect
              key={c}
              label={MONITOR_CATEGORY_LABELS[c] ?? c}
              value={p.categorySeverity[c]}
              allowDefault
              onChange={(v) =>
                change((d) => {
                  if (v) d.profiles[profile].categorySeverity[c] = v;
                  else delete d.profiles[profile].categorySeverity[c];
                })
              }
            />
          ))}
        </div>
      </details>
    </fieldset>
  );
}

function SettingsForm({ saved, onSaved }: { saved: MonitorSettings; onSaved: (s: MonitorSettings) => void }) {
  const announce = useAnnounce();
  const [draft, setDraft] = useState<MonitorSettings>(() => structuredClone(saved));
  const { busy, error, run } = useSubmit();
  const ids = { dailyHour: useId(), weeklyDay: useId() };
  const change = (edit: (d: MonitorSettings) => void) =>
    setDraft((current) => {
      const next = structuredClone(current);
      edit(next);
      return next;
    });
  const changed = JSON.stringify(draft) !== JSON.stringify(saved);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const stored = await reportsApi.saveSettings(draft);
      announce('Monitoring settings saved.');
      onSaved(stored);
    });
  };

  return (
    // The server checks every value and says which is wrong; the browser's own checks would hide that message.
    <form className="stack" aria-label="Monitoring settings" onSubmit={submit} noValidate>
      <section aria-labelledby="monitor-profiles" className="monitor-section">
        <h2 id="monitor-profiles">Alerts by age</h2>
        <p className="hint">Younger pupils usually get every match and a lower threshold.</p>
        {MONITOR_PROFILES.map((p) => (
          <ProfileFields key={p} profile={p} settings={draft} change={change} />
        ))}
        <NumberField
          label="Fold window (hours)"
          hint="The same person matching the same words within this time adds to one alert's count."
          value={draft.foldWindowHours}
          min={1}
          max={720}
          onChange={(v) =>
            change((d) => {
              d.foldWindowHours = v;
            })
          }
        />
      </section>

      <section aria-labelledby="monitor-retention" className="monitor-section">
        <h2 id="monitor-retention">How long data is kept</h2>
        <div className="monitor-grid">
          <NumberField
            label="Activity (days)"
            hint="Filter decisions and events from other sources are deleted after this."
            value={draft.retention.activityDays}
            min={1}
            max={3650}
            onChange={(v) =>
              change((d) => {
                d.retention.activityDays = v;
              })
            }
          />
          <NumberField
            label="Resolved alerts (days)"
            hint="Closed alerts and false positives are deleted this long after they were resolved. Open and escalated alerts are kept."
            value={draft.retention.alertDays}
            min={1}
            max={3650}
            onChange={(v) =>
              change((d) => {
                d.retention.alertDays = v;
              })
            }
          />
        </div>
      </section>

      <section aria-labelledby="monitor-report-times" className="monitor-section">
        <h2 id="monitor-report-times">Report times</h2>
        <div className="monitor-grid">
          <div className="checkbox">
            <input
              id={`${ids.dailyHour}-on`}
              type="checkbox"
              checked={draft.reports.dailyEnabled}
              onChange={(e) =>
                change((d) => {
                  d.reports.dailyEnabled = e.target.checked;
                })
              }
            />
            <label htmlFor={`${ids.dailyHour}-on`}>Send the daily summary</label>
          </div>
          <div className="field">
            <label htmlFor={ids.dailyHour}>Hour the reports are sent</label>
            <select
              id={ids.dailyHour}
              value={draft.reports.dailyHour}
              onChange={(e) =>
                change((d) => {
                  d.reports.dailyHour = Number(e.target.value);
                })
              }
            >
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {`${String(h).padStart(2, '0')}:00`}
                </option>
              ))}
            </select>
          </div>
          <div className="checkbox">
            <input
              id={`${ids.weeklyDay}-on`}
              type="checkbox"
              checked={draft.reports.weeklyEnabled}
              onChange={(e) =>
                change((d) => {
                  d.reports.weeklyEnabled = e.target.checked;
                })
              }
            />
            <label htmlFor={`${ids.weeklyDay}-on`}>Send the weekly report</label>
          </div>
          <div className="field">
            <label htmlFor={ids.weeklyDay}>Day the weekly report is sent</label>
            <select
              id={ids.weeklyDay}
              value={draft.reports.weeklyDay}
              onChange={(e) =>
                change((d) => {
                  d.reports.weeklyDay = Number(e.target.value);
                })
              }
            >
              {WEEKDAYS.map((name, i) => (
                <option key={name} value={i + 1}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p className="hint">
          Times are UK time (Europe/London). The daily summary covers the day before; the weekly report, Monday to Sunday.
        </p>
      </section>

      <div className="button-row">
        <button type="submit" disabled={busy || !changed}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
        <button type="button" className="secondary" disabled={busy || !changed} onClick={() => setDraft(structuredClone(saved))}>
          Undo changes
        </button>
      </div>
      <ErrorNotice error={error} action="change the monitoring settings" />
    </form>
  );
}

function RetentionStatusPanel() {
  const status = useApi(() => reportsApi.retention(), []);
  const [counted, setCounted] = useState<PurgeResult | null>(null);
  const { busy, error, run } = useSubmit();
  const last = status.data?.purges[0];
  return (
    <section aria-labelledby="monitor-purges" className="panel">
      <h2 id="monitor-purges">Retention job</h2>
      <ErrorNotice error={status.error} action="see the retention job" />
      {status.data && (
        <ul className="plain-list">
          <li>
            Last purge:{' '}
            {last
              ? `${formatDateTime(last.ranAt)} by ${last.ranBy === 'monitor-job' ? 'the scheduled job' : last.ranBy}: ${last.activityDeleted + last.eventsDeleted} activity rows and ${last.alertsDeleted} alerts deleted`
              : 'none yet'}
          </li>
          <li>Next purge: {status.data.nextDueAt ? formatDateTime(status.data.nextDueAt) : 'the scheduled job is turned off'}</li>
        </ul>
      )}
      <button
        type="button"
        className="secondary"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            setCounted(await reportsApi.runRetention(true));
          })
        }
      >
        Count what would be deleted now
      </button>
      {counted && (
        <p role="status">
          Now: {counted.activityDeleted + counted.eventsDeleted} activity rows older than {formatDateTime(counted.activityBefore)} and{' '}
          {counted.alertsDeleted} resolved alerts would be deleted. Nothing was deleted.
        </p>
      )}
      <ErrorNotice error={error} action="count what would be deleted" />
    </section>
  );
}

/** Thresholds and severities per age profile, the fold window, retention and report times. */
export function MonitorSettingsPage() {
  const settings = useApi(() => reportsApi.settings(), []);
  const [saved, setSaved] = useState<MonitorSettings | null>(null);
  const shown = saved ?? settings.data;
  return (
    <Page
      title="Monitoring settings"
      lead="How alerts are graded for each age group, how long monitoring data is kept and when the reports are sent. Every change is recorded in the audit log."
    >
      <ErrorNotice error={settings.error} action="see the monitoring settings" />
      {saved && (
        <p className="notice" role="status">
          Settings saved.
        </p>
      )}
      {shown && (
        // A saved change starts a fresh draft from what the server now holds.
        <SettingsForm key={JSON.stringify(shown)} saved={shown} onSaved={setSaved} />
      )}
      <RetentionStatusPanel />
    </Page>
  );
}
