import { Page } from '../../components/Page';

/** Placeholder until this screen is built. */
export function AlertPage() {
  return <Page title="AlertPage">Not built yet.</Page>;
}
