import { Page } from '../../components/Page';

/** Placeholder until this screen is built. */
export function Consent() {
  return <Page title="Consent">Not built yet.</Page>;
}
