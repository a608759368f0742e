import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi } from '../../components/hooks';
import { Page } from '../../components/Page';
import { Communications } from './policy/Communications';
import { policyApi } from './policy/policyApi';
import { Sanctions } from './policy/Sanctions';
import { Schedule } from './policy/Schedule';
import { UserActions } from './policy/UserActions';
import { Versions } from './policy/Versions';
import './policy/policy.css';

/**
 * The school's e-safety policy: the version in force with its approval and review, the tables
 * generated from what the filter and the incident response enforce, and the versions.
 */
export function Policy() {
  const overview = useApi(() => policyApi.overview(), []);
  // The tables follow every change made here, so they reload with the overview.
  const tables = useApi(() => policyApi.tables(), [overview.data]);
  const data = overview.data;
  return (
    <Page
      title="E-safety policy"
      lead="The policy governors approve, with its tables generated from the live filter and incident settings, so what is published is what is enforced."
    >
      <ErrorNotice error={overview.error} action="read the e-safety policy" />
      {overview.loading && !data && <p role="status">Loading…</p>}
      {data && (
        <>
          <Schedule overview={data} />
          <ErrorNotice error={tables.error} action="see the generated tables" />
          {tables.data && (
            <>
              <UserActions tables={tables.data.userActions} />
              <Communications rows={tables.data.communications} canManage={data.canManage} onSaved={overview.reload} />
              <Sanctions tables={tables.data.sanctions} />
            </>
          )}
          <Versions overview={data} onChange={overview.reload} />
        </>
      )}
    </Page>
  );
}
