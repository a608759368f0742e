import { Link } from 'react-router-dom';
import { api } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApi } from '../components/hooks';
import { Page } from '../components/Page';
import { StatsTables } from '../components/StatsTables';
import { navFor, upcomingFor } from '../features';
import { roleLabel } from '../labels';
import { useMe } from '../session';

export function Home() {
  const me = useMe();
  const available = navFor(me).filter((item) => item.to !== '/' && !item.comingSoon);
  const upcoming = upcomingFor(me);
  // Governors have figures and no names: show them straight away.
  const figuresOnly = me.can.seeStats && !me.can.browseDirectory;

  return (
    <Page title={`Hello, ${me.displayName}`} lead={`${me.school.name} · ${me.roles.map(roleLabel).join(', ')}`}>
      {figuresOnly && <GovernorFigures />}
      <section aria-labelledby="home-available">
        <h2 id="home-available">What you can do</h2>
        <ul className="card-list">
          {available.map((item) => (
            <li key={item.to} className="card">
              <h3>
                <Link to={item.to}>{item.label}</Link>
              </h3>
              <p>{item.description}</p>
            </li>
          ))}
        </ul>
      </section>
      {upcoming.length > 0 && (
        <section aria-labelledby="home-upcoming">
          <h2 id="home-upcoming">Coming to Tutela</h2>
          <ul className="card-list">
            {upcoming.map((u) => (
              <li key={u.key} className="card card-muted">
                <h3>
                  <Link to={u.path}>{u.title}</Link>
                </h3>
                <p>{u.summary}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}

function GovernorFigures() {
  const stats = useApi(() => api.stats(), []);
  return (
    <section aria-labelledby="home-figures">
      <h2 id="home-figures">Your school in figures</h2>
      <p>As a governor you see counts only, never names.</p>
      <ErrorNotice error={stats.error} />
      {stats.data && <StatsTables stats={stats.data} level={3} />}
    </section>
  );
}
