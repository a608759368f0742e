import { Page } from '../../components/Page';

/** Placeholder until this screen is built. */
export function Coverage() {
  return <Page title="Coverage">Not built yet.</Page>;
}
