import { Link } from 'react-router-dom';
import { incidentApi } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import type { DashboardIncident } from '../../types';
import { useMe } from '../../session';
import type { Me } from '../../types';
import { RULES } from '../../../../src/access/policy';
import { actionLabel, categoryLabel } from './labels';

const mayManageRetention = (me: Me) => RULES['incident.retention.manage'].roles.some((r) => me.roles.includes(r));

const incidentLink = (id: string) => `/incidents/${encodeURIComponent(id)}`;

function IncidentLinks({ label, incidents }: { label: string; incidents: DashboardIncident[] }) {
  if (incidents.length === 0) return <p>None.</p>;
  return (
    <ul className="plain-list" aria-label={label}>
      {incidents.map((i) => (
        <li key={i.id}>
          <Link to={incidentLink(i.id)}>{i.reference}</Link> {categoryLabel(i.category)}: {i.summary}
        </li>
      ))}
    </ul>
  );
}

/** What needs the responders now: open and urgent incidents, and actions past their due date. */
export function ResponderDashboard() {
  const me = useMe();
  const board = useApi(() => incidentApi.dashboard(), []);
  return (
    <section aria-labelledby="responder-dashboard" className="incident-dashboard">
      <h2 id="responder-dashboard">Needs attention</h2>
      {mayManageRetention(me) && (
        <p>
          <Link to="/incidents/retention">Retention and archived incidents</Link>
        </p>
      )}
      <ErrorNotice error={board.error} action="see the dashboard" />
      {board.data && (
        <div className="incident-dashboard-grid">
          <div>
            <h3>Urgent ({board.data.urgent.length})</h3>
            <IncidentLinks label="Urgent incidents" incidents={board.data.urgent} />
          </div>
          <div>
            <h3>Overdue actions ({board.data.overdueActions.length})</h3>
            {board.data.overdueActions.length === 0 ? (
              <p>None.</p>
            ) : (
              <ul className="plain-list" aria-label="Overdue actions">
                {board.data.overdueActions.map((a) => (
                  <li key={`${a.incidentId}-${a.action}-${a.dueAt}`}>
                    <Link to={incidentLink(a.incidentId)}>{a.reference}</Link> {actionLabel(a.action)}, due {formatDateTime(a.dueAt)}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <h3>Open ({board.data.open.length})</h3>
            <IncidentLinks label="Open incidents" incidents={board.data.open} />
          </div>
        </div>
      )}
    </section>
  );
}
