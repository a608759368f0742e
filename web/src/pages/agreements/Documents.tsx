import { Page } from '../../components/Page';

/** Placeholder until this screen is built. */
export function Documents() {
  return <Page title="Documents">Not built yet.</Page>;
}
