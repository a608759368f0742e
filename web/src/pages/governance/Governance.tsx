import type { ReactElement } from 'react';
import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { NotAllowed } from '../../components/NotAllowed';
import { useMe } from '../../session';
import { type GovernancePath, governanceSectionsFor } from './access';
import { Policy } from './Policy';
import { Review } from './Review';
import { TermlyReport } from './TermlyReport';

const SCREENS: Record<GovernancePath, ReactElement> = {
  policy: <Policy />,
  review: <Review />,
  report: <TermlyReport />,
};

/** The policy, its yearly filtering and monitoring review, and the governors' termly report. */
export function Governance() {
  const me = useMe();
  const mine = governanceSectionsFor(me);
  if (mine.length === 0)
    return <NotAllowed title="Governance" message="This part of Tutela is for staff and governors" action="see governance" />;
  return (
    <div className="governance">
      <nav className="sub-nav" aria-label="Governance">
        <ul>
          {mine.map((s) => (
            <li key={s.path}>
              <NavLink to={`/governance/${s.path}`}>{s.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to={mine[0]!.path} replace />} />
        {mine.map((s) => (
          <Route key={s.path} path={`${s.path}/*`} element={SCREENS[s.path]} />
        ))}
        <Route
          path="*"
          element={<NotAllowed title="Governance" message="This screen is not open to your role" action="see this screen" />}
        />
      </Routes>
    </div>
  );
}
