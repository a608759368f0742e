import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { useApi } from '../../components/hooks';
import { formatDateTime, isoToLocalInput, isPast, localInputToIso } from '../../labels';
import type { PersonSummary } from '../../types';
import { WhenLoaded, PersonSearch, ReasonField, RemoveWithReason, useChange, useFilterApi } from './parts';

/** "Removal of internet access rights" for a time, with the few sites still needed for work. */
export function Sanctions() {
  const filter = useFilterApi();
  const sanctions = useApi(() => filter.sanctions(), [filter]);
  return (
    <Page
      title="Sanctions"
      lead="Remove a person's internet access for a time. Only the sites listed as still allowed work until it ends or is lifted."
    >
      <WhenLoaded state={sanctions} what="sanctions">
        {(rows) =>
          rows.length === 0 ? (
            <p>No sanctions.</p>
          ) : (
            <TableWrap label="Sanctions">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">From</th>
                    <th scope="col">Until</th>
                    <th scope="col">Still allowed</th>
                    <th scope="col">
                      <span className="visually-hidden">Lift</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((s) => {
                    const over = Boolean(s.liftedAt) || isPast(s.until);
                    return (
                      <tr key={s.id}>
                        <th scope="row">{s.personName ?? 'A person'}</th>
                        <td>{formatDateTime(s.from)}</td>
                        <td>{formatDateTime(s.until)}</td>
                        <td>{s.stillAllowed.length ? s.stillAllowed.join(', ') : 'Nothing'}</td>
                        <td>
                          {over ? (
                            s.liftedAt ? (
                              `Lifted ${formatDateTime(s.liftedAt)}`
                            ) : (
                              'Ended'
                            )
                          ) : (
                            <RemoveWithReason
                              what={`the sanction on ${s.personName ?? 'this person'}`}
                              verb="Lift"
                              onConfirm={async (reason) => {
                                await filter.liftSanction(s.id, reason);
                                sanctions.reload();
                              }}
                            />
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
          )
        }
      </WhenLoaded>
      <AddSanction onAdded={sanctions.reload} />
    </Page>
  );
}

function AddSanction({ onAdded }: { onAdded: () => void }) {
  const filter = useFilterApi();
  const [person, setPerson] = useState<PersonSummary | null>(null);
  const start = () => ({
    from: isoToLocalInput(new Date().toISOString()),
    until: isoToLocalInput(new Date(Date.now() + 7 * 86_400_000).toISOString()),
    stillAllowed: '',
    reason: '',
  });
  const [form, setForm] = useState(start);
  const { busy, error, run } = useChange();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!person) return;
    const ok = await run(
      () =>
        filter.addSanction({
          personId: person.id,
          from: localInputToIso(form.from),
          until: localInputToIso(form.until),
          stillAllowed: form.stillAllowed
            .split(/[\s,]+/)
            .map((s) => s.trim())
            .filter(Boolean),
          reason: form.reason.trim(),
        }),
      `Internet access removed for ${person.name}.`,
    );
    if (ok) {
      setPerson(null);
      setForm(start());
      onAdded();
    }
  };
  return (
    <form className="stack panel" aria-labelledby="sanction-heading" onSubmit={submit}>
      <h2 id="sanction-heading">Remove internet access</h2>
      <PersonSearch label="Person" chosen={person} onChoose={setPerson} />
      <div className="field">
        <label htmlFor="sanction-from">From</label>
        <input
          id="sanction-from"
          type="datetime-local"
          value={form.from}
          onChange={(e) => setForm({ ...form, from: e.target.value })}
          required
        />
      </div>
      <div className="field">
        <label htmlFor="sanction-until">Until</label>
        <input
          id="sanction-until"
          type="datetime-local"
          value={form.until}
          onChange={(e) => setForm({ ...form, until: e.target.value })}
          required
        />
      </div>
      <div className="field">
        <label htmlFor="sanction-allowed">Sites still allowed (optional)</label>
        <span className="hint">Separate with commas, for example the school's learning platform.</span>
        <input id="sanction-allowed" value={form.stillAllowed} onChange={(e) => setForm({ ...form, stillAllowed: e.target.value })} />
      </div>
      <ReasonField value={form.reason} onChange={(reason) => setForm({ ...form, reason })} />
      <button type="submit" disabled={busy || !person}>
        Remove internet access
      </button>
      <ErrorNotice error={error} action="remove internet access" />
    </form>
  );
}
