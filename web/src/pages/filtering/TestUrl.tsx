import { useState, type FormEvent } from 'react';
import { Badge } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import type { FilterTestResult, PersonSummary } from '../../types';
import { isoToLocalInput, localInputToIso } from '../../labels';
import { actionLabel, categoryLabel, ruleLabel } from './labels';
import { PersonSearch, useFilterApi } from './parts';

/** "What would happen if this person opened this site at this time?", with the reason why. */
export function TestUrl() {
  const filter = useFilterApi();
  const [target, setTarget] = useState('');
  const [person, setPerson] = useState<PersonSummary | null>(null);
  const [at, setAt] = useState(() => isoToLocalInput(new Date().toISOString()));
  const [result, setResult] = useState<FilterTestResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await filter.test({ target: target.trim(), personId: person?.id, at: at ? localInputToIso(at) : undefined }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const d = result?.decision;
  return (
    <Page title="Test a URL" lead="See what the filter would do for a person at a time, and which rule decides.">
      <form className="stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor="test-target">Site or address</label>
          <input id="test-target" value={target} onChange={(e) => setTarget(e.target.value)} required autoComplete="off" />
        </div>
        <PersonSearch label="Person" chosen={person} onChoose={setPerson} />
        <div className="field">
          <label htmlFor="test-at">Date and time</label>
          <input id="test-at" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        </div>
        <div className="button-row">
          <button type="submit" disabled={busy || !target.trim()}>
            {busy ? 'Testing…' : 'Test'}
          </button>
        </div>
      </form>
      <ErrorNotice error={error} />
      <div role="status">
        {result && d && (
          <section aria-labelledby="test-result" className="panel">
            <h2 id="test-result">
              <Badge tone={d.action === 'block' ? 'bad' : d.action === 'warn' ? 'warn' : 'good'}>{actionLabel(d.action)}</Badge>{' '}
              {d.url ?? d.host}
            </h2>
            <dl className="details">
              <dt>Person</dt>
              <dd>{result.person?.name ?? 'No one (by address only)'}</dd>
              <dt>Profile</dt>
              <dd>{result.profile.name}</dd>
              <dt>Category</dt>
              <dd>{categoryLabel(d.category)}</dd>
              <dt>All categories of the site</dt>
              <dd>{result.categories.length ? result.categories.map(categoryLabel).join(', ') : 'None'}</dd>
              <dt>Rule</dt>
              <dd>
                <code>{d.rule}</code> — {ruleLabel(d.rule)}
              </dd>
              <dt>Detail</dt>
              <dd>{d.detail}</dd>
              <dt>Policy version</dt>
              <dd>{d.policyVersion}</dd>
            </dl>
          </section>
        )}
      </div>
    </Page>
  );
}
