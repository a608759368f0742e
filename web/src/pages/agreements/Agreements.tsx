import type { ReactElement } from 'react';
import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { NotAllowed } from '../../components/NotAllowed';
import { useMe } from '../../session';
import { type AgreementPath, agreementSectionsFor } from './access';
import { Consent } from './Consent';
import { Coverage } from './Coverage';
import { Documents } from './Documents';
import { MyAgreements } from './MyAgreements';
import { Training } from './Training';

const SCREENS: Record<AgreementPath, ReactElement> = {
  mine: <MyAgreements />,
  coverage: <Coverage />,
  documents: <Documents />,
  consent: <Consent />,
  training: <Training />,
};

/** Agreements, image consent and training records: the records an e-safety policy promises. */
export function Agreements() {
  const me = useMe();
  const mine = agreementSectionsFor(me);
  return (
    <div className="agreements">
      <nav className="sub-nav" aria-label="Agreements">
        <ul>
          {mine.map((s) => (
            <li key={s.path}>
              <NavLink to={`/agreements/${s.path}`}>{s.label}</NavLink>
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
          element={<NotAllowed title="Agreements" message="This screen is not open to your role" action="see this screen" />}
        />
      </Routes>
    </div>
  );
}
