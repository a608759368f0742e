import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { useAnnounce } from '../components/Announcer';
import { Badge } from '../components/Badge';
import { ErrorNotice } from '../components/ErrorNotice';
import { NotAllowed } from '../components/NotAllowed';
import { SchoolFields, type SchoolFieldValues } from '../components/SchoolFields';
import { useApi } from '../components/hooks';
import { Page } from '../components/Page';
import { TableWrap } from '../components/TableWrap';
import { phaseLabel } from '../labels';
import { useSchool } from '../school';
import { useMe } from '../session';

export function Schools() {
  const me = useMe();
  const school = useSchool();
  const announce = useAnnounce();
  const schools = useApi(() => api.schools(), []);
  if (!me.can.manageTrust) {
    return (
      <NotAllowed title="Schools" message="Only a trust administrator manages the trust’s schools" action="manage the trust’s schools" />
    );
  }

  return (
    <Page
      title="Schools"
      lead="The schools of your trust. Choose which one the People, Groups and School figures pages show here or with the School picker at the top."
    >
      <ErrorNotice error={schools.error} />
      <p role="status" className="result-count">
        {schools.loading && !schools.data ? 'Loading schools…' : ''}
      </p>
      {schools.data && schools.data.length > 0 && (
        <TableWrap label="Schools of the trust">
          <table>
            <thead>
              <tr>
                <th scope="col">School</th>
                <th scope="col">URN</th>
                <th scope="col">Phase</th>
                <th scope="col">
                  <span className="visually-hidden">Showing</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {schools.data.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.name}</th>
                  <td>{s.urn ?? '—'}</td>
                  <td>{phaseLabel(s.phase)}</td>
                  <td>
                    {s.id === school.current.id ? (
                      <Badge tone="good">Showing</Badge>
                    ) : (
                      <button
                        type="button"
                        className="secondary small"
                        aria-label={`Show ${s.name}`}
                        onClick={() => {
                          school.choose(s.id);
                          announce(`Now showing ${s.name}.`);
                        }}
                      >
                        Show
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <AddSchool
        onAdded={(name) => {
          announce(`School added: ${name}.`);
          schools.reload();
          school.reload();
        }}
      />
    </Page>
  );
}

function AddSchool({ onAdded }: { onAdded: (name: string) => void }) {
  const [school, setSchool] = useState<SchoolFieldValues>({ name: '', urn: '', phase: '' });
  const { name, urn, phase } = school;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!phase) return;
    setBusy(true);
    setError(null);
    try {
      const added = await api.createSchool({ name: name.trim(), urn: urn || undefined, phase });
      setSchool({ name: '', urn: '', phase: '' });
      onAdded(added.name);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="add-school" className="panel">
      <h2 id="add-school">Add school</h2>
      <form onSubmit={submit} className="stack">
        <SchoolFields idPrefix="school" value={school} onChange={setSchool} />
        <ErrorNotice error={error} action="add schools" />
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add school'}
        </button>
      </form>
    </section>
  );
}
