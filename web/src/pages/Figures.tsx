import { api } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApi } from '../components/hooks';
import { Page } from '../components/Page';
import { StatsTables } from '../components/StatsTables';
import { useSchool } from '../school';

export function Figures() {
  const { schoolId } = useSchool();
  const stats = useApi(() => api.stats(schoolId), [schoolId]);
  return (
    <Page title="School figures" lead="How many people and groups the school has. These figures never include names.">
      <ErrorNotice error={stats.error} />
      {stats.loading && <p role="status">Loading figures…</p>}
      {stats.data && <StatsTables stats={stats.data} />}
    </Page>
  );
}
