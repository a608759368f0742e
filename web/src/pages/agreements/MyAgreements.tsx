import { Page } from '../../components/Page';

/** Placeholder until this screen is built. */
export function MyAgreements() {
  return <Page title="MyAgreements">Not built yet.</Page>;
}
