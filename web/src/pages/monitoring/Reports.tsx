import { Page } from '../../components/Page';

/** Placeholder until this screen is built. */
export function Reports() {
  return <Page title="Reports">Not built yet.</Page>;
}

export function ReportPage() {
  return <Page title="Report">Not built yet.</Page>;
}
