import { Page } from '../../components/Page';

// Placeholder until this screen is written.
export function TermlyReport() {
  return (
    <Page title="Governors' termly report">
      <p>Loading…</p>
    </Page>
  );
}
