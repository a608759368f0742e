import { Page } from '../../components/Page';

/** Placeholder until this screen is built. */
export function Sources() {
  return <Page title="Sources">Not built yet.</Page>;
}
