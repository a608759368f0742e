import { useEffect, useId, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAnnounce } from '../../components/Announcer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi, useSubmit } from '../../components/hooks';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { groupKindLabel } from '../../labels';
import { AUDIENCES, type CoverageFilter, type CoverageGroup, agreementsApi, audienceLabel } from './agreementsApi';
import './agreements.css';

const percent = (part: number, whole: number) => (whole === 0 ? 100 : Math.round((part / whole) * 100));

/** Who has accepted this school year's agreements, by group, with reminders and an export. */
export function Coverage() {
  const [params, setParams] = useSearchParams();
  const filter: CoverageFilter = { audience: params.get('audience') ?? undefined, groupId: params.get('groupId') ?? undefined };
  const { data, error, loading, reload } = useApi(() => agreementsApi.coverage(filter), [filter.audience, filter.groupId]);
  // The group choices come from the whole school (for the audience chosen), not just the group in view.
  const options = useApi(
    () => (filter.groupId ? agreementsApi.coverage({ audience: filter.audience }) : Promise.resolve(null)),
    [filter.audience, filter.groupId],
  );
  const [groups, setGroups] = useState<CoverageGroup[]>([]);
  const known = filter.groupId ? (options.data?.byGroup ?? groups) : (data?.byGroup ?? groups);
  useEffect(() => {
    if (!filter.groupId && data) setGroups(data.byGroup);
  }, [data, filter.groupId]);

  const audienceId = useId();
  const groupId = useId();
  const setFilter = (key: 'audience' | 'groupId', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const scope = filter.groupId
    ? (known.find((g) => g.groupId === filter.groupId)?.name ?? 'this group')
    : filter.audience
      ? audienceLabel(filter.audience).toLowerCase()
      : 'the whole school';

  return (
    <Page title="Who has accepted" lead="Who has accepted this school year's acceptable-use agreement, and who has not yet.">
      <form className="coverage-filters" aria-label="Filter" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={audienceId}>Audience</label>
          <select id={audienceId} value={filter.audience ?? ''} onChange={(e) => setFilter('audience', e.target.value)}>
            <option value="">Everyone</option>
            {AUDIENCES.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={groupId}>Group</label>
          <select id={groupId} value={filter.groupId ?? ''} onChange={(e) => setFilter('groupId', e.target.value)}>
            <option value="">All groups</option>
            {known.map((g) => (
              <option key={g.groupId} value={g.groupId}>
                {g.name} ({groupKindLabel(g.kind)})
              </option>
            ))}
          </select>
        </div>
      </form>
      <ErrorNotice error={error} action="see who has accepted" />
      {loading && !data && <p role="status">Loading…</p>}
      {data && (
        <>
          <section aria-labelledby="coverage-totals">
            <h2 id="coverage-totals">School year {data.schoolYear}</h2>
            <dl className="coverage-totals">
              <div>
                <dt>People</dt>
                <dd>{data.totals.people}</dd>
              </div>
              <div>
                <dt>Accepted</dt>
                <dd>
                  {data.totals.accepted} ({percent(data.totals.accepted, data.totals.people)}%)
                </dd>
              </div>
              <div>
                <dt>Outstanding</dt>
                <dd>{data.totals.outstanding}</dd>
              </div>
            </dl>
            <Actions filter={filter} scope={scope} outstanding={data.totals.outstanding} onSent={reload} />
          </section>
          <section aria-labelledby="coverage-groups">
            <h2 id="coverage-groups">By group</h2>
            {data.byGroup.length === 0 ? (
              <p>No groups to show.</p>
            ) : (
              <TableWrap label="Acceptance by group">
                <table className="coverage-table">
                  <thead>
                    <tr>
                      <th scope="col">Group</th>
                      <th scope="col">Kind</th>
                      <th scope="col">People</th>
                      <th scope="col">Accepted</th>
                      <th scope="col">Outstanding</th>
                      <th scope="col">Coverage</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.byGroup.map((g) => {
                      const pc = percent(g.accepted, g.people);
                      return (
                        <tr key={g.groupId}>
                          <th scope="row">
                            <button type="button" className="link-button" onClick={() => setFilter('groupId', g.groupId)}>
                              {g.name}
                            </button>
                          </th>
                          <td>{groupKindLabel(g.kind)}</td>
                          <td>{g.people}</td>
                          <td>{g.accepted}</td>
                          <td>{g.outstanding}</td>
                          <td>
                            <span className="coverage-bar" aria-hidden="true">
                              <span style={{ width: `${pc}%` }} />
                            </span>{' '}
                            {pc}%
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </section>
          <section aria-labelledby="coverage-outstanding">
            <h2 id="coverage-outstanding">Not yet accepted</h2>
            {data.outstanding.length === 0 ? (
              <p>Everyone here has accepted.</p>
            ) : (
              <TableWrap label="People who have not yet accepted">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Agreement</th>
                      <th scope="col">Group</th>
                      <th scope="col">Last accepted</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.outstanding.map((p) => (
                      <tr key={`${p.personId}-${p.audience}`}>
                        <th scope="row">{p.name}</th>
                        <td>{audienceLabel(p.audience)}</td>
                        <td>{p.group ?? '—'}</td>
                        <td>{p.lastAcceptedVersion === null ? 'Never' : `Version ${p.lastAcceptedVersion}`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </section>
        </>
      )}
    </Page>
  );
}

function Actions({
  filter,
  scope,
  outstanding,
  onSent,
}: {
  filter: CoverageFilter;
  scope: string;
  outstanding: number;
  onSent: () => void;
}) {
  const announce = useAnnounce();
  const { busy, error, run } = useSubmit();
  const [result, setResult] = useState<{ sent: number; noEmail: number } | null>(null);
  const send = () =>
    run(async () => {
      setResult(null);
      const answer = await agreementsApi.remind(filter);
      setResult(answer);
      announce(`Reminders sent: ${answer.sent}. Without an e-mail address: ${answer.noEmail}.`);
      onSent();
    });
  return (
    <>
      <div className="button-row">
        <button type="button" disabled={busy || outstanding === 0} onClick={() => void send()}>
          Send reminders
        </button>
        <span className="hint">to everyone outstanding in {scope}</span>
        <a className="button secondary" href={agreementsApi.coverageCsvUrl(filter)} download>
          Download CSV
        </a>
      </div>
      <ErrorNotice error={error} action="send reminders" />
      {result && (
        <p className="notice notice-good">
          Reminders sent: {result.sent}. Without an e-mail address: {result.noEmail}
          {result.noEmail > 0 ? ' — please remind them another way.' : '.'}
        </p>
      )}
    </>
  );
}
