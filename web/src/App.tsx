import { Navigate, Route, Routes, useLocation, useSearchParams } from 'react-router-dom';
import { AnnouncerProvider } from './components/Announcer';
import { AuthFrame } from './components/AuthFrame';
import { Layout } from './components/Layout';
import { UnreadProvider } from './notifications';
import { SchoolProvider } from './school';
import { UPCOMING } from './features';
import { Account } from './pages/Account';
import { AddPerson } from './pages/AddPerson';
import { Audit } from './pages/Audit';
import { Blocked } from './pages/Blocked';
import { ComingSoon } from './pages/ComingSoon';
import { Figures } from './pages/Figures';
import { Filtering } from './pages/filtering/Filtering';
import { Group } from './pages/Group';
import { Groups } from './pages/Groups';
import { Home } from './pages/Home';
import { Incidents } from './pages/incidents/Incidents';
import { Monitoring } from './pages/monitoring/Monitoring';
import { Agreements } from './pages/agreements/Agreements';
import { AgreementGate } from './pages/agreements/MyAgreements';
import { Governance } from './pages/governance/Governance';
import { IncidentFigures } from './pages/incidents/IncidentFigures';
import { Import } from './pages/Import';
import { NewGroup } from './pages/NewGroup';
import { LockScreen } from './pages/LockScreen';
import { NotFound } from './pages/NotFound';
import { Notifications } from './pages/Notifications';
import { People } from './pages/People';
import { Person } from './pages/Person';
import { Schools } from './pages/Schools';
import { Setup } from './pages/Setup';
import { SignIn } from './pages/SignIn';
import { TotpChallenge } from './pages/TotpChallenge';
import { TotpEnrol } from './pages/TotpEnrol';
import { Users } from './pages/Users';
import { useAuth } from './session';

/** Which screen shows is decided by the session first, the address second. */
export function App() {
  const { state, retry } = useAuth();
  const { pathname } = useLocation();
  // The filter's block page is public and stands alone: whoever is (or is not) signed in sees it.
  if (pathname === '/blocked') return <Blocked />;
  switch (state.status) {
    case 'loading':
      return (
        <AuthFrame>
          <p role="status">Loading Tutela…</p>
        </AuthFrame>
      );
    case 'unavailable':
      return (
        <AuthFrame>
          <h1>Tutela is not available</h1>
          <p role="alert">{state.message}</p>
          <button type="button" onClick={retry}>
            Try again
          </button>
        </AuthFrame>
      );
    case 'setup':
      return <Setup />;
    case 'signedOut':
      return (
        <Routes>
          <Route path="/sign-in" element={<SignIn />} />
          <Route path="*" element={<ToSignIn />} />
        </Routes>
      );
    case 'totp':
      return <TotpChallenge />;
    case 'enrol':
      return <TotpEnrol />;
    case 'locked':
      return <LockScreen />;
    case 'active':
      // Until the acceptable-use agreement is accepted, every address shows it and nothing else.
      if (state.me.agreementRequired)
        return (
          <AnnouncerProvider>
            <AgreementGate />
          </AnnouncerProvider>
        );
      return (
        <AnnouncerProvider>
          <SchoolProvider>
            <UnreadProvider>
              <Layout>
                <Routes>
                  <Route path="/" element={<Home />} />
                  <Route path="/sign-in" element={<AfterSignIn />} />
                  <Route path="/account" element={<Account />} />
                  <Route path="/notifications" element={<Notifications />} />
                  <Route path="/people" element={<People />} />
                  <Route path="/people/new" element={<AddPerson />} />
                  <Route path="/people/:id" element={<Person />} />
                  <Route path="/groups" element={<Groups />} />
                  <Route path="/groups/new" element={<NewGroup />} />
                  <Route path="/groups/:id" element={<Group />} />
                  <Route path="/schools" element={<Schools />} />
                  <Route path="/figures" element={<Figures />} />
                  <Route path="/import" element={<Import />} />
                  <Route path="/users" element={<Users />} />
                  <Route path="/audit" element={<Audit />} />
                  <Route path="/filtering/*" element={<Filtering />} />
                  <Route path="/incidents/*" element={<Incidents />} />
                  <Route path="/monitoring/*" element={<Monitoring />} />
                  <Route path="/agreements/*" element={<Agreements />} />
                  <Route path="/governance/*" element={<Governance />} />
                  <Route path="/incident-figures" element={<IncidentFigures />} />
                  {UPCOMING.map((u) => (
                    <Route key={u.key} path={u.path} element={<ComingSoon feature={u} />} />
                  ))}
                  <Route path="*" element={<NotFound />} />
                </Routes>
              </Layout>
            </UnreadProvider>
          </SchoolProvider>
        </AnnouncerProvider>
      );
  }
}

/** Remembers where the person was going, and passes on an error from a single-sign-on return. */
function ToSignIn() {
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const next = new URLSearchParams();
  const error = params.get('error');
  if (error) next.set('error', error);
  params.delete('error');
  const rest = params.toString();
  if (location.pathname !== '/') next.set('next', location.pathname + (rest ? `?${rest}` : ''));
  const query = next.toString();
  return <Navigate to={`/sign-in${query ? `?${query}` : ''}`} replace />;
}

function AfterSignIn() {
  const [params] = useSearchParams();
  const next = params.get('next') ?? '/';
  // Only a path on this site: an address like //evil.example would leave it.
  const safe = next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
  return <Navigate to={safe} replace />;
}
