import { Page } from '../../components/Page';

/** Placeholder until this screen is built. */
export function Library() {
  return <Page title="Library">Not built yet.</Page>;
}
