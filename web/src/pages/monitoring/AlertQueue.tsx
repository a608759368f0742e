import { Page } from '../../components/Page';

/** Placeholder until this screen is built. */
export function AlertQueue() {
  return <Page title="AlertQueue">Not built yet.</Page>;
}
