import { Page } from '../../components/Page';

// Placeholder until this screen is written.
export function Review() {
  return (
    <Page title="Filtering and monitoring review">
      <p>Loading…</p>
    </Page>
  );
}
