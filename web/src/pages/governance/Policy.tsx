import { Page } from '../../components/Page';

// Placeholder until this screen is written.
export function Policy() {
  return (
    <Page title="E-safety policy">
      <p>Loading…</p>
    </Page>
  );
}
