import type { ReactElement } from 'react';
import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { NotAllowed } from '../../components/NotAllowed';
import { useMe } from '../../session';
import { type FilteringPath, filteringSectionsFor } from './access';
import { Changes } from './Changes';
import { Devices } from './Devices';
import { LiveFeed } from './LiveFeed';
import { LocalLists } from './LocalLists';
import { mayDo } from './labels';
import { Overview } from './Overview';
import { Profiles } from './Profiles';
import { Reports } from './Reports';
import { Sanctions } from './Sanctions';
import { Settings } from './Settings';
import { TestUrl } from './TestUrl';
import { TimeWindows } from './TimeWindows';
import { RequestUnblock, Unblocks } from './Unblocks';
import './filtering.css';

const SCREENS: Record<FilteringPath, ReactElement> = {
  overview: <Overview />,
  profiles: <Profiles />,
  times: <TimeWindows />,
  lists: <LocalLists />,
  test: <TestUrl />,
  'unblock-requests': <Unblocks />,
  reports: <Reports />,
  changes: <Changes />,
  live: <LiveFeed />,
  devices: <Devices />,
  sanctions: <Sanctions />,
  settings: <Settings />,
};

/** The Filtering section: its own sub-navigation, then the chosen screen. */
export function Filtering() {
  const me = useMe();
  const mine = filteringSectionsFor(me);
  if (mine.length === 0) {
    return (
      <NotAllowed title="Filtering" message="Filtering is for staff, the network manager, the DSL and governors" action="use filtering" />
    );
  }
  return (
    <div className="filtering">
      <nav className="sub-nav" aria-label="Filtering">
        <ul>
          {mine.map((s) => (
            <li key={s.path}>
              <NavLink to={`/filtering/${s.path}`} end>
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to={mine[0]!.path} replace />} />
        {mine.map((s) => (
          <Route key={s.path} path={s.path} element={SCREENS[s.path]} />
        ))}
        {mayDo(me, 'filter.unblock.request') && <Route path="unblock-requests/new" element={<RequestUnblock />} />}
        {/* Notifications link to one request or report; it opens highlighted in its list. */}
        {mayDo(me, 'filter.unblock.request') && <Route path="unblock-requests/:id" element={<Unblocks />} />}
        {mayDo(me, 'filter.reports.manage') && <Route path="reports/:id" element={<Reports />} />}
        <Route
          path="*"
          element={<NotAllowed title="Filtering" message="This filtering screen is not open to your role" action="see this screen" />}
        />
      </Routes>
    </div>
  );
}
