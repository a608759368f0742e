import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { useApi } from '../../components/hooks';
import { formatDate } from '../../labels';
import { useMe } from '../../session';
import type { FilterCalendar, FilterTimeWindow, FilterWindowKind } from '../../types';
import { DAY_LABELS, mayDo, minutesToTime, timeToMinutes, WINDOW_LABELS } from './labels';
import { ReasonField, RecordTable, useChange, useFilterApi, WhenLoaded } from './parts';

/** The school day as the filter sees it, so "acceptable at certain times" means real times. */
export function TimeWindows() {
  const filter = useFilterApi();
  const me = useMe();
  const calendar = useApi(() => filter.calendar(), [filter]);
  const canEdit = mayDo(me, 'filter.manage');
  return (
    <Page
      title="Time windows and holidays"
      lead="When lessons, breaks, lunch and the rest of the week happen. Categories allowed “at certain times” follow these."
    >
      <WhenLoaded state={calendar} what="the school calendar">
        {(cal) => (
          <>
            <p>Times are in {cal.timeZone}.</p>
            <WindowsEditor key={JSON.stringify(cal.windows)} calendar={cal} readOnly={!canEdit} onSaved={calendar.reload} />
            <Holidays calendar={cal} readOnly={!canEdit} onChanged={calendar.reload} />
          </>
        )}
      </WhenLoaded>
    </Page>
  );
}

type Row = FilterTimeWindow & { key: string };
let keys = 0;
const newKey = () => `new-${++keys}`;

function WindowsEditor({ calendar, readOnly, onSaved }: { calendar: FilterCalendar; readOnly: boolean; onSaved: () => void }) {
  const filter = useFilterApi();
  // Each row keeps a key of its own, so removing one row never moves another's inputs.
  const [rows, setRows] = useState<Row[]>(() => calendar.windows.map((w) => ({ ...w, key: w.id ?? newKey() })));
  const [reason, setReason] = useState('');
  const { busy, error, run } = useChange();
  const set = (i: number, patch: Partial<Row>) => setRows((r) => r.map((w, j) => (j === i ? { ...w, ...patch } : w)));
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await run(() => filter.setWindows(rows, reason.trim()), 'Time windows saved.')) onSaved();
  };
  return (
    <form onSubmit={save} aria-labelledby="windows-heading">
      <h2 id="windows-heading">Time windows</h2>
      <TableWrap label="Time windows">
        <table>
          <thead>
            <tr>
              <th scope="col">Part of the week</th>
              <th scope="col">Days</th>
              <th scope="col">Starts</th>
              <th scope="col">Ends</th>
              {!readOnly && (
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((w, i) => (
              <tr key={w.key}>
                <td>
                  <select
                    aria-label={`Window ${i + 1}: part of the week`}
                    value={w.kind}
                    disabled={readOnly}
                    onChange={(e) => set(i, { kind: e.target.value as FilterWindowKind })}
                  >
                    {Object.entries(WINDOW_LABELS).map(([k, label]) => (
                      <option key={k} value={k}>
                        {label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <span className="day-picker">
                    {DAY_LABELS.map((d, di) => (
                      <label key={d} className="checkbox">
                        <input
                          type="checkbox"
                          disabled={readOnly}
                          checked={w.days.includes(di + 1)}
                          onChange={(e) =>
                            set(i, { days: e.target.checked ? [...w.days, di + 1].sort() : w.days.filter((x) => x !== di + 1) })
                          }
                        />
                        {d}
                      </label>
                    ))}
                  </span>
                </td>
                <td>
                  <input
                    type="time"
                    aria-label={`Window ${i + 1}: starts`}
                    disabled={readOnly}
                    value={minutesToTime(w.startMinute)}
                    onChange={(e) => set(i, { startMinute: timeToMinutes(e.target.value) })}
                  />
                </td>
                <td>
                  <input
                    type="time"
                    aria-label={`Window ${i + 1}: ends`}
                    disabled={readOnly}
                    value={minutesToTime(Math.min(w.endMinute, 1439))}
                    onChange={(e) => set(i, { endMinute: timeToMinutes(e.target.value) })}
                  />
                </td>
                {!readOnly && (
                  <td>
                    <button type="button" className="secondary small" onClick={() => setRows((r) => r.filter((_, j) => j !== i))}>
                      Remove window {i + 1}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {!readOnly && (
        <>
          <p>
            <button
              type="button"
              className="secondary"
              onClick={() =>
                setRows((r) => [...r, { key: newKey(), kind: 'lessons', days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 600 }])
              }
            >
              Add a window
            </button>
          </p>
          <ReasonField value={reason} onChange={setReason} />
          <button type="submit" disabled={busy || !reason.trim()}>
            Save time windows
          </button>
          <ErrorNotice error={error} action="change the time windows" />
        </>
      )}
    </form>
  );
}

function Holidays({ calendar, readOnly, onChanged }: { calendar: FilterCalendar; readOnly: boolean; onChanged: () => void }) {
  const filter = useFilterApi();
  const [form, setForm] = useState({ name: '', from: '', to: '', reason: '' });
  const { busy, error, run } = useChange();
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await run(
      () => filter.addHoliday({ name: form.name.trim(), from: form.from, to: form.to, reason: form.reason.trim() }),
      `Holiday added: ${form.name.trim()}.`,
    );
    if (ok) {
      setForm({ name: '', from: '', to: '', reason: '' });
      onChanged();
    }
  };
  return (
    <section aria-labelledby="holidays-heading">
      <h2 id="holidays-heading">Holidays</h2>
      <RecordTable
        rows={calendar.holidays}
        empty={<p>No holidays set.</p>}
        label="Holiday dates"
        columns={[
          { header: 'Name', cell: (h) => h.name },
          { header: 'From', cell: (h) => formatDate(h.from) },
          { header: 'To', cell: (h) => formatDate(h.to) },
        ]}
        remove={
          readOnly
            ? undefined
            : {
                what: (h) => h.name,
                run: async (h, reason) => {
                  await filter.deleteHoliday(h.id, reason);
                  onChanged();
                },
              }
        }
      />
      {!readOnly && (
        <form className="stack panel" aria-label="Add a holiday" onSubmit={add}>
          <div className="field">
            <label htmlFor="holiday-name">Holiday name</label>
            <input id="holiday-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
          </div>
          <div className="field">
            <label htmlFor="holiday-from">First day</label>
            <input id="holiday-from" type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} required />
          </div>
          <div className="field">
            <label htmlFor="holiday-to">Last day</label>
            <input id="holiday-to" type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} required />
          </div>
          <ReasonField value={form.reason} onChange={(reason) => setForm({ ...form, reason })} />
          <button type="submit" disabled={busy}>
            Add holiday
          </button>
          <ErrorNotice error={error} action="add a holiday" />
        </form>
      )}
    </section>
  );
}
