import { Link } from 'react-router-dom';
import { Page } from '../components/Page';
import type { Upcoming } from '../features';
import { useMe } from '../session';

export function ComingSoon({ feature }: { feature: Upcoming }) {
  const me = useMe();
  const forYou = me.roles.some((r) => feature.roles.includes(r));
  return (
    <Page title={feature.title}>
      {forYou ? (
        <div className="notice">
          <h2>Coming soon</h2>
          <p>{feature.summary}</p>
        </div>
      ) : (
        <div className="notice notice-error" role="alert">
          <h2>You do not have permission to use {feature.title.toLowerCase()}.</h2>
          <p>This part of Tutela is for other roles.</p>
        </div>
      )}
      <p>
        <Link to="/">Back to home</Link>
      </p>
    </Page>
  );
}
