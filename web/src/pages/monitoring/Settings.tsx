import { Page } from '../../components/Page';

/** Placeholder until this screen is built. */
export function MonitorSettingsPage() {
  return <Page title="Monitoring settings">Not built yet.</Page>;
}
