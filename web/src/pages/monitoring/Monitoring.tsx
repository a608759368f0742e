import type { ReactElement } from 'react';
import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { NotAllowed } from '../../components/NotAllowed';
import { useMe } from '../../session';
import { type MonitoringPath, monitoringSectionsFor } from './access';
import { AlertPage } from './AlertPage';
import { AlertQueue, OpenAlertCount } from './AlertQueue';
import { Library } from './Library';
import { ReportPage, Reports } from './Reports';
import { MonitorSettingsPage } from './Settings';
import { Sources } from './Sources';
import './monitoring.css';

const SCREENS: Record<MonitoringPath, ReactElement> = {
  alerts: <AlertQueue />,
  library: <Library />,
  reports: <Reports />,
  sources: <Sources />,
  settings: <MonitorSettingsPage />,
};

/** The Monitoring section: its own sub-navigation, then the chosen screen. */
export function Monitoring() {
  const me = useMe();
  const mine = monitoringSectionsFor(me);
  if (mine.length === 0) {
    return (
      <NotAllowed
        title="Monitoring"
        message="Monitoring is for the designated safeguarding lead, the head and the network manager"
        action="use monitoring"
      />
    );
  }
  const paths = new Set<string>(mine.map((s) => s.path));
  return (
    <div className="monitoring">
      <nav className="sub-nav" aria-label="Monitoring">
        <ul>
          {mine.map((s) => (
            <li key={s.path}>
              <NavLink to={`/monitoring/${s.path}`} end>
                {s.label}
              </NavLink>
              {s.path === 'alerts' && <OpenAlertCount />}
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to={mine[0]!.path} replace />} />
        {mine.map((s) => (
          <Route key={s.path} path={s.path} element={SCREENS[s.path]} />
        ))}
        {paths.has('alerts') && <Route path="alerts/:id" element={<AlertPage />} />}
        {paths.has('reports') && <Route path="reports/:id" element={<ReportPage />} />}
        <Route
          path="*"
          element={<NotAllowed title="Monitoring" message="This monitoring screen is not open to your role" action="see this screen" />}
        />
      </Routes>
    </div>
  );
}
