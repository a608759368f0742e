import { Link } from 'react-router-dom';
import { incidentApi } from '../../api';
import { Badge, type Tone } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { useApi } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import { useMe } from '../../session';
import type { IncidentSummary } from '../../types';
import { categoryLabel, mayRespond, SHORT_ROLE_LABELS, urgencyLabel } from './labels';
import { ResponderDashboard } from './ResponderDashboard';

const URGENCY_TONES: Record<string, Tone> = { low: 'neutral', medium: 'neutral', high: 'warn', urgent: 'bad' };

const peopleText = (incident: IncidentSummary): string =>
  incident.people.length === 0 ? '—' : incident.people.map((p) => `${p.name} (${SHORT_ROLE_LABELS[p.role] ?? p.role})`).join(', ');

/** The incidents the signed-in person may read: all of them for the DSL team, their own reports for a reporter. */
export function IncidentList() {
  const me = useMe();
  const responder = mayRespond(me);
  const list = useApi(() => incidentApi.list(), []);
  return (
    <Page
      title={responder ? 'Safeguarding incidents' : 'My reports'}
      lead={
        responder
          ? 'Every read of an incident is written to the audit log.'
          : 'The concerns you have logged. You can read them and add a correction.'
      }
    >
      <div className="button-row">
        <Link className="button" to="/incidents/new">
          Log a concern
        </Link>
      </div>
      {responder && <ResponderDashboard />}
      <ErrorNotice error={list.error} action="see incidents" />
      {!list.data && !list.error && <p role="status">Loading incidents…</p>}
      {list.data && list.data.length === 0 && <p>{responder ? 'No incidents have been logged.' : 'You have not logged any concerns.'}</p>}
      {list.data && list.data.length > 0 && (
        <TableWrap label="Incidents">
          <table>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Category</th>
                <th scope="col">People</th>
                <th scope="col">Urgency</th>
                <th scope="col">Status</th>
                <th scope="col">Logged</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((incident) => (
                <tr key={incident.id}>
                  <th scope="row">
                    <Link to={`/incidents/${encodeURIComponent(incident.id)}`}>{incident.reference}</Link>
                  </th>
                  <td>
                    {categoryLabel(incident.category)}
                    <br />
                    <span className="hint">{incident.summary}</span>
                  </td>
                  <td>{peopleText(incident)}</td>
                  <td>
                    <Badge tone={URGENCY_TONES[incident.urgency]}>{urgencyLabel(incident.urgency).split(':')[0]!}</Badge>
                  </td>
                  <td>{incident.status === 'open' ? 'Open' : 'Closed'}</td>
                  <td>{formatDateTime(incident.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Page>
  );
}
