import { useEffect, useId, useState } from 'react';
import { ApiError, api } from '../../api';
import { AuthFrame } from '../../components/AuthFrame';
import { StatusBar, useAnnounce } from '../../components/Announcer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi } from '../../components/hooks';
import { Page } from '../../components/Page';
import { formatLongDate } from '../../labels';
import { useAuth, useMe } from '../../session';
import { ACCEPT_WORDS, type MyAgreement, agreementsApi, audienceLabel } from './agreementsApi';
import { Markdown } from './Markdown';
import './agreements.css';

/** The person's own agreement and, for a parent, each child's. */
export function MyAgreements() {
  const me = useMe();
  const { data, error, loading, reload } = useApi(() => agreementsApi.mine(), []);
  const own = data?.agreements.filter((a) => a.personId === me.personId) ?? [];
  const children = data?.agreements.filter((a) => a.personId !== me.personId) ?? [];
  return (
    <Page
      title="Your agreements"
      lead="The school's acceptable-use agreements: how we all use its computers, network and online services safely."
    >
      <ErrorNotice error={error} />
      {loading && !data && <p role="status">Loading your agreements…</p>}
      {data && data.agreements.length === 0 && <p>There is no agreement for you to accept at the moment.</p>}
      {own.map((a) => (
        <AgreementCard
          key={`${a.personId}-${a.document.id}`}
          agreement={a}
          heading={`Your agreement: ${a.document.title}`}
          onDone={reload}
        />
      ))}
      {children.length > 0 && (
        <section aria-labelledby="children-agreements">
          <h2 id="children-agreements">Your children's agreements</h2>
          {children.map((a) => (
            <AgreementCard
              key={`${a.personId}-${a.document.id}`}
              agreement={a}
              heading={`${a.personName}: ${a.document.title}`}
              level={3}
              onDone={reload}
            />
          ))}
        </section>
      )}
    </Page>
  );
}

function Status({ agreement }: { agreement: MyAgreement }) {
  const { accepted, due, document } = agreement;
  if (accepted && !due) {
    return (
      <p className="agreement-status agreement-accepted">
        <strong>Accepted</strong> on {formatLongDate(accepted.at)} (version {accepted.version})
        {agreement.onBehalf || accepted.byName !== agreement.personName ? ` by ${accepted.byName}` : ''}.
      </p>
    );
  }
  if (accepted) {
    return (
      <p className="agreement-status agreement-due">
        <strong>To accept again:</strong> version {accepted.version} was accepted on {formatLongDate(accepted.at)}; version{' '}
        {document.version} needs accepting now.
      </p>
    );
  }
  return (
    <p className="agreement-status agreement-due">
      <strong>Not yet accepted.</strong>
    </p>
  );
}

/** One agreement: its status, its text, and Accept while it is due. */
function AgreementCard({
  agreement,
  heading,
  level = 2,
  onDone,
}: {
  agreement: MyAgreement;
  heading: string;
  level?: 2 | 3;
  onDone: () => void;
}) {
  const announce = useAnnounce();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const { document: doc, due, canAccept, onBehalf, personName, audience } = agreement;
  const Heading = level === 2 ? 'h2' : 'h3';
  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      await agreementsApi.accept(doc.id, agreement.personId);
      announce(onBehalf ? `Agreement accepted for ${personName}` : 'Agreement accepted');
      onDone();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        // Most often a newer version was published meanwhile: the reload shows it, the message says why.
        announce(failure.message);
        onDone();
      } else setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const text = (
    <div className="agreement-text">
      <Markdown source={doc.bodyMd} topLevel={level + 1} />
    </div>
  );
  return (
    <section className="agreement-card" aria-labelledby={headingId}>
      <Heading id={headingId}>{heading}</Heading>
      <p className="hint">
        {audienceLabel(audience)}, version {doc.version}
      </p>
      <Status agreement={agreement} />
      {due ? (
        <>
          {onBehalf && audience === 'ks1' && (
            <p className="notice">Please read this agreement together with {personName} before you accept it for them.</p>
          )}
          {text}
          {canAccept ? (
            <div className="agreement-accept">
              <p>
                {onBehalf
                  ? `By clicking Accept for ${personName} I acknowledge that I have read and understood the agreement with them and that they will follow it.`
                  : ACCEPT_WORDS}
              </p>
              <ErrorNotice error={error} action="accept this agreement" />
              <button type="button" onClick={() => void accept()} disabled={busy}>
                {onBehalf ? `Accept for ${personName}` : 'Accept'}
              </button>
            </div>
          ) : (
            <p className="hint">A parent or carer reads this agreement with you and accepts it for you.</p>
          )}
        </>
      ) : (
        <details>
          <summary>Read the agreement</summary>
          {text}
        </details>
      )}
    </section>
  );
}

/**
 * Shown instead of every screen while the signed-in person (staff, volunteer or guest) still has
 * to accept their agreement: the policy says they cannot use the system until they have.
 */
export function AgreementGate() {
  const { signOut, accept: acceptSession } = useAuth();
  const { data, error, loading, reload } = useApi(() => agreementsApi.mine(), []);
  const me = useMe();
  const [finishing, setFinishing] = useState<unknown>(null);
  useEffect(() => {
    document.title = 'Before you start – Tutela';
  }, []);
  const due = data?.agreements.filter((a) => a.personId === me.personId && a.due && a.canAccept) ?? [];
  const continueIn = async () => {
    // A fresh session view makes the session fetch the person again, which lifts the gate.
    try {
      await acceptSession(await api.session());
    } catch (failure) {
      setFinishing(failure);
    }
  };
  return (
    <AuthFrame>
      <div className="agreement-gate">
        <h1>Before you start</h1>
        <p className="lead">
          Welcome, {me.displayName}. Before you use the school's systems, please read and accept the acceptable-use agreement.
        </p>
        <ErrorNotice error={error ?? finishing} />
        {loading && !data && <p role="status">Loading the agreement…</p>}
        {due.map((a) => (
          <AgreementCard key={a.document.id} agreement={a} heading={a.document.title} onDone={() => void continueIn().then(reload)} />
        ))}
        {data && due.length === 0 && (
          <div className="button-row">
            <button type="button" onClick={() => void continueIn()}>
              Continue
            </button>
          </div>
        )}
        <div className="button-row">
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
        <StatusBar />
      </div>
    </AuthFrame>
  );
}
