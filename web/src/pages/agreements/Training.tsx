import { Page } from '../../components/Page';

/** Placeholder until this screen is built. */
export function Training() {
  return <Page title="Training">Not built yet.</Page>;
}
