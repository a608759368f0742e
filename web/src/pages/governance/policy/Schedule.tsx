import { dayText } from '../../../../../src/export/dates';
import { Badge } from '../../../components/Badge';
import { documentUrl, POLICY_TABLE_TITLES, type PolicyOverview } from './policyApi';

const REVIEW_BADGE = {
  due_soon: { tone: 'warn', text: 'Due soon' },
  overdue: { tone: 'bad', text: 'Overdue' },
} as const;

/** The schedule block of the policy in force: who approved it, when, and when it is next reviewed. */
export function Schedule({ overview }: { overview: PolicyOverview }) {
  const { current, draft, drift, review } = overview;
  const shown = current ?? draft;
  const badge = review.state === 'due_soon' || review.state === 'overdue' ? REVIEW_BADGE[review.state] : null;
  return (
    <section aria-labelledby="policy-schedule-heading" className="policy-schedule">
      <h2 id="policy-schedule-heading">Schedule for monitoring and review</h2>
      {current ? (
        <dl className="policy-facts">
          <dt>Version in force</dt>
          <dd>{current.version}</dd>
          <dt>Approved on</dt>
          <dd>{current.approvedOn ? dayText(current.approvedOn) : '—'}</dd>
          <dt>Approved by</dt>
          <dd>{current.approvedByBody}</dd>
          <dt>Minute</dt>
          <dd>{current.minuteRef}</dd>
          <dt>Monitoring</dt>
          <dd>{current.monitoringCycle}</dd>
          <dt>Next review</dt>
          <dd data-testid="next-review">
            {current.nextReviewOn ? dayText(current.nextReviewOn) : '—'} {badge && <Badge tone={badge.tone}>{badge.text}</Badge>}
          </dd>
        </dl>
      ) : (
        <p className="notice notice-secret">
          Governors have not approved a version yet. The draft below is what they will be asked to approve.
        </p>
      )}
      {shown && (
        <p className="button-row policy-links">
          <a href={documentUrl(shown.id, 'pdf')} download>
            Download PDF{current ? '' : ' (draft)'}
          </a>
          <a href={documentUrl(shown.id, 'html')} target="_blank" rel="noopener">
            Open as web page{current ? '' : ' (draft)'}
          </a>
        </p>
      )}
      {drift && drift.changed.length > 0 && (
        <div className="notice notice-secret" role="status">
          <p>
            <strong>Changed since governors approved version {drift.version}</strong> on {dayText(drift.approvedOn)}:{' '}
            {drift.changed.map((t) => POLICY_TABLE_TITLES[t]).join(', ')}.
          </p>
          <p>The document prints the settings in force now. Take the changes to governors so they approve what is enforced.</p>
        </div>
      )}
    </section>
  );
}
