import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../api';
import { Badge, type Tone } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { useApi } from '../../components/hooks';
import { formatDateTime, isoToLocalInput, localInputToIso } from '../../labels';
import { useMe } from '../../session';
import { useSchool } from '../../school';
import type { FilterException, UnblockRequest } from '../../types';
import { CATEGORIES, categoryLabel, mayDo } from './labels';
import { PersonName, RecordTable, useChange, useFilterApi, WhenLoaded } from './parts';

const STATUS: Record<string, { label: string; tone: Tone }> = {
  pending: { label: 'Waiting for approval', tone: 'warn' },
  approved: { label: 'Approved', tone: 'good' },
  rejected: { label: 'Rejected', tone: 'bad' },
  withdrawn: { label: 'Withdrawn', tone: 'neutral' },
  expired: { label: 'Expired', tone: 'neutral' },
};

const UNBLOCK_GROUP_KINDS: readonly string[] = ['class', 'tutor_group', 'custom'];

const exceptionTarget = (e: FilterException) => (e.target.kind === 'pattern' ? e.target.pattern : categoryLabel(e.target.category));

const targetText = (r: Pick<UnblockRequest, 'targetKind' | 'target'>) =>
  r.targetKind === 'category' ? `the category ${categoryLabel(r.target)}` : r.target;

/**
 * Temporary unblocks, as the policies describe them: a teacher asks for a site or category for
 * a class and a period; the network manager and the DSL both approve; it then expires by itself.
 */
export function Unblocks() {
  const me = useMe();
  const filter = useFilterApi();
  const requests = useApi(() => filter.unblockRequests(), [filter]);
  const approver = mayDo(me, 'filter.unblock.approve_technical') || mayDo(me, 'filter.unblock.approve_safeguarding');
  return (
    <Page
      title="Unblock requests"
      lead="A temporary unblock opens a site or a category for one class for a set time. It needs two approvals: the network manager's (technical) and the designated safeguarding lead's."
    >
      <p>
        <Link className="button" to="/filtering/unblock-requests/new">
          Request an unblock
        </Link>
      </p>
      <WhenLoaded state={requests} what="unblock requests">
        {(list) => {
          const mine = list.filter((r) => r.requestedBy.id === me.personId);
          const queue = list.filter((r) => r.requestedBy.id !== me.personId);
          return (
            <>
              {approver && (
                <section aria-labelledby="queue-heading">
                  <h2 id="queue-heading">Requests to decide</h2>
                  <RequestList list={queue} empty="No requests from others." onChanged={requests.reload} />
                </section>
              )}
              <section aria-labelledby="mine-heading">
                <h2 id="mine-heading">Your requests</h2>
                <RequestList list={mine} empty="You have not asked for an unblock." onChanged={requests.reload} />
              </section>
            </>
          );
        }}
      </WhenLoaded>
      {mayDo(me, 'filter.read') && <Exceptions />}
    </Page>
  );
}

const EXCEPTION_STATUS: Record<string, { label: string; tone: Tone }> = {
  scheduled: { label: 'Starts later', tone: 'neutral' },
  active: { label: 'In force', tone: 'good' },
};

/** The exceptions approved requests made, still to come or in force; they end by themselves. */
function Exceptions() {
  const me = useMe();
  const filter = useFilterApi();
  const { schoolId } = useSchool();
  const exceptions = useApi(() => filter.exceptions(), [filter]);
  const groups = useApi(() => api.groups({ schoolId }), [schoolId]);
  const canRevoke = mayDo(me, 'filter.manage');
  // The server names the group or person; the lookups cover an older server that does not.
  const subject = (e: FilterException) =>
    e.appliesTo.name ??
    (e.appliesTo.kind === 'school' ? (
      'The whole school'
    ) : e.appliesTo.kind === 'group' ? (
      (groups.data?.find((g) => g.id === e.appliesTo.id)?.name ?? 'A group')
    ) : e.appliesTo.id ? (
      <PersonName id={e.appliesTo.id} />
    ) : (
      'A person'
    ));
  return (
    <section aria-labelledby="exceptions-heading">
      <h2 id="exceptions-heading">Exceptions in force</h2>
      <WhenLoaded state={exceptions} what="exceptions">
        {(all) => (
          <RecordTable
            rows={all.filter((e) => e.status === 'active' || e.status === 'scheduled')}
            empty={<p>No exceptions in force.</p>}
            label="Exceptions"
            columns={[
              { header: 'Site or category', cell: exceptionTarget },
              { header: 'For', cell: subject },
              { header: 'From', cell: (e) => formatDateTime(e.from) },
              { header: 'Until', cell: (e) => formatDateTime(e.until) },
              {
                header: 'Status',
                cell: (e) => {
                  const status = EXCEPTION_STATUS[e.status] ?? { label: e.status, tone: 'neutral' as const };
                  return <Badge tone={status.tone}>{status.label}</Badge>;
                },
              },
            ]}
            remove={
              canRevoke
                ? {
                    verb: 'Revoke',
                    what: (e) => `the exception for ${exceptionTarget(e)}`,
                    run: async (e, reason) => {
                      await filter.revokeException(e.id, reason);
                      exceptions.reload();
                    },
                  }
                : undefined
            }
          />
        )}
      </WhenLoaded>
    </section>
  );
}

function RequestList({ list, empty, onChanged }: { list: UnblockRequest[]; empty: string; onChanged: () => void }) {
  if (list.length === 0) return <p>{empty}</p>;
  return (
    <ul className="card-list request-list">
      {list.map((r) => (
        <RequestCard key={r.id} request={r} onChanged={onChanged} />
      ))}
    </ul>
  );
}

function ApprovalChip({ who, approval }: { who: string; approval: UnblockRequest['technicalApproval'] }) {
  return <Badge tone={approval ? 'good' : 'neutral'}>{approval ? `${who}: approved by ${approval.by}` : `${who}: not yet approved`}</Badge>;
}

function RequestCard({ request: r, onChanged }: { request: UnblockRequest; onChanged: () => void }) {
  const me = useMe();
  const { id: linked } = useParams();
  const filter = useFilterApi();
  const [note, setNote] = useState('');
  const { busy, error, run } = useChange();
  const status = STATUS[r.status] ?? { label: r.status, tone: 'neutral' as const };
  const title = `${targetText(r)} for ${r.group.name}`;
  const act = async (work: () => Promise<unknown>, done: string) => {
    if (await run(work, done)) {
      setNote('');
      onChanged();
    }
  };
  return (
    <li
      className={`card${linked === r.id ? ' highlighted' : ''}`}
      aria-label={`Unblock request: ${title}`}
      aria-current={linked === r.id ? 'true' : undefined}
      ref={linked === r.id ? (el) => el?.scrollIntoView({ block: 'nearest' }) : undefined}
    >
      <h3>{title}</h3>
      <p className="badges">
        <Badge tone={status.tone}>{status.label}</Badge>
        <ApprovalChip who="Technical" approval={r.technicalApproval} />
        <ApprovalChip who="Safeguarding" approval={r.safeguardingApproval} />
      </p>
      <dl className="details">
        <dt>Asked by</dt>
        <dd>{r.requestedBy.name}</dd>
        <dt>From</dt>
        <dd>{formatDateTime(r.from)}</dd>
        <dt>Until</dt>
        <dd>{formatDateTime(r.until)}</dd>
        <dt>Reason</dt>
        <dd>{r.reason}</dd>
        {r.decisionNote && (
          <>
            <dt>Decision note</dt>
            <dd>{r.decisionNote}</dd>
          </>
        )}
      </dl>
      {r.status === 'pending' && r.canApproveAs.length > 0 && (
        <div className="decision">
          <div className="field">
            <label htmlFor={`note-${r.id}`}>Note (needed to reject)</label>
            <input id={`note-${r.id}`} value={note} onChange={(e) => setNote(e.target.value)} autoComplete="off" />
          </div>
          <div className="button-row">
            <button
              type="button"
              disabled={busy}
              onClick={() => void act(() => filter.approveUnblock(r.id, note.trim() || undefined), `Approved: ${title}.`)}
            >
              Approve as {r.canApproveAs.map((a) => (a === 'technical' ? 'technical' : 'safeguarding')).join(' and ')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy || !note.trim()}
              onClick={() => void act(() => filter.rejectUnblock(r.id, note.trim()), `Rejected: ${title}.`)}
            >
              Reject
            </button>
          </div>
        </div>
      )}
      {r.status === 'pending' && r.requestedBy.id === me.personId && (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void act(() => filter.withdrawUnblock(r.id), `Withdrawn: ${title}.`)}
        >
          Withdraw
        </button>
      )}
      <ErrorNotice error={error} />
    </li>
  );
}

/** The request form; the block page links here with the blocked site filled in. */
export function RequestUnblock() {
  const me = useMe();
  const filter = useFilterApi();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const mine = useApi(() => api.person(me.personId), [me.personId]);
  const now = Date.now();
  const [form, setForm] = useState({
    targetKind: params.get('category') && !params.get('target') ? ('category' as const) : ('pattern' as const),
    pattern: params.get('target') ?? '',
    category: params.get('category') ?? '',
    groupId: '',
    from: isoToLocalInput(new Date(now).toISOString()),
    until: isoToLocalInput(new Date(now + 60 * 60_000).toISOString()),
    reason: '',
  });
  const { busy, error, run } = useChange();
  // An unblock is for one class, tutor group or custom group the person teaches or leads.
  const groups = (mine.data?.groups ?? []).filter((g) => UNBLOCK_GROUP_KINDS.includes(g.kind) && g.memberRole !== 'member');
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await run(
      () =>
        filter.requestUnblock({
          targetKind: form.targetKind,
          target: form.targetKind === 'pattern' ? form.pattern.trim() : form.category,
          groupId: form.groupId,
          from: localInputToIso(form.from),
          until: localInputToIso(form.until),
          reason: form.reason.trim(),
        }),
      'Your unblock request has been sent for approval.',
    );
    if (ok) navigate('/filtering/unblock-requests');
  };

  return (
    <Page title="Request an unblock" lead="Ask for a site or a category to be opened for one of your classes, for the time you need it.">
      <form className="stack" onSubmit={submit}>
        <fieldset>
          <legend>What should be unblocked</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="target-kind"
              checked={form.targetKind === 'pattern'}
              onChange={() => set({ targetKind: 'pattern' })}
            />
            A site
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="target-kind"
              checked={form.targetKind === 'category'}
              onChange={() => set({ targetKind: 'category' })}
            />
            A whole category
          </label>
        </fieldset>
        {form.targetKind === 'pattern' ? (
          <div className="field">
            <label htmlFor="unblock-site">Site</label>
            <span className="hint">A site like example.com (covers its sub-sites) or an address like example.com/page.</span>
            <input id="unblock-site" value={form.pattern} onChange={(e) => set({ pattern: e.target.value })} required autoComplete="off" />
          </div>
        ) : (
          <div className="field">
            <label htmlFor="unblock-category">Category</label>
            <select id="unblock-category" value={form.category} onChange={(e) => set({ category: e.target.value })} required>
              <option value="">Choose a category…</option>
              {CATEGORIES.filter((c) => c.group !== 'illegal').map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="unblock-group">Class or group</label>
          <ErrorNotice error={mine.error} />
          <select id="unblock-group" value={form.groupId} onChange={(e) => set({ groupId: e.target.value })} required>
            <option value="">
              {mine.loading ? 'Loading your groups…' : groups.length ? 'Choose a class or group…' : 'You are in no groups'}
            </option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="unblock-from">From</label>
          <input id="unblock-from" type="datetime-local" value={form.from} onChange={(e) => set({ from: e.target.value })} required />
        </div>
        <div className="field">
          <label htmlFor="unblock-until">Until</label>
          <input id="unblock-until" type="datetime-local" value={form.until} onChange={(e) => set({ until: e.target.value })} required />
        </div>
        <div className="field">
          <label htmlFor="unblock-reason">
            Why the class needs it <span className="required">(required)</span>
          </label>
          <textarea id="unblock-reason" value={form.reason} onChange={(e) => set({ reason: e.target.value })} required rows={3} />
        </div>
        <div className="button-row">
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send for approval'}
          </button>
          <Link className="button secondary" to="/filtering/unblock-requests">
            Cancel
          </Link>
        </div>
        <ErrorNotice error={error} action="request an unblock" />
      </form>
    </Page>
  );
}
