import { useEffect, useId, useState } from 'react';
import { Link, Route, Routes, useParams, useSearchParams } from 'react-router-dom';
import { RULES } from '../../../../src/access/policy';
import { useAnnounce } from '../../components/Announcer';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi } from '../../components/hooks';
import { Page } from '../../components/Page';
import { formatDateTime, groupKindLabel } from '../../labels';
import { useMe } from '../../session';
import type { Me } from '../../types';
import { consentApi, type GroupConsent, type GroupOption, IMAGE_USES, type ImageUse, type StudentConsent, labelOf } from './consentApi';
import './consent.css';

const hasRole = (me: Me, rule: 'consent.read' | 'consent.manage') =>
  (RULES[rule].roles as readonly string[]).some((role) => me.roles.includes(role));

const yearName = (year: number | null) => (year === null ? '' : year === 0 ? 'Reception' : `Year ${year}`);

/** Image consent: parents give or withdraw it per use; staff look a class up before publishing a photo. */
export function Consent() {
  return (
    <Routes>
      <Route index element={<ConsentHome />} />
      <Route path="students/:id" element={<RecordForm />} />
    </Routes>
  );
}

function ConsentHome() {
  const me = useMe();
  const staff = hasRole(me, 'consent.read');
  const parent = me.roles.includes('parent') || me.childIds.length > 0;
  return (
    <Page
      title="Image consent"
      lead={
        staff
          ? 'Check a class before you publish a photo. Pupils without a parent’s consent are listed first.'
          : 'Choose where photos and video of your child may be used. Changes are saved as soon as you make them.'
      }
    >
      {parent && <ParentConsent />}
      {staff && <ClassLookup canRecord={hasRole(me, 'consent.manage')} />}
    </Page>
  );
}

function ParentConsent() {
  const mine = useApi(() => consentApi.mine(), []);
  const [children, setChildren] = useState<StudentConsent[]>([]);
  useEffect(() => setChildren(mine.data?.children ?? []), [mine.data]);
  return (
    <section aria-label="Your children">
      <ErrorNotice error={mine.error} action="see your children's consent" />
      {mine.loading && <p role="status">Loading…</p>}
      {mine.data && children.length === 0 && (
        <p className="notice">No children are linked to your account. If this is wrong, please contact the school office.</p>
      )}
      <p className="consent-default">
        Until you say yes, the school treats the answer as no: your child will not appear in photos or video for that use.
      </p>
      {children.map((child) => (
        <ChildCard
          key={child.student.id}
          consent={child}
          onSaved={(next) => setChildren((all) => all.map((c) => (c.student.id === next.student.id ? next : c)))}
        />
      ))}
    </section>
  );
}

/** One child's switches, saved as each is changed, and the history of changes. */
function ChildCard({
  consent,
  onSaved,
  withNote = false,
}: {
  consent: StudentConsent;
  onSaved: (next: StudentConsent) => void;
  withNote?: boolean;
}) {
  const announce = useAnnounce();
  const base = useId();
  const [busy, setBusy] = useState<ImageUse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');
  const [note, setNote] = useState('');
  const { student } = consent;
  const first = student.name.split(' ')[0] ?? student.name;

  const change = async (use: ImageUse, granted: boolean) => {
    setBusy(use);
    setError(null);
    setSaved('');
    try {
      const next = await consentApi.set(student.id, { use, granted, ...(withNote && note.trim() ? { note: note.trim() } : {}) });
      onSaved(next);
      const message = `Saved. ${labelOf(use)}: ${granted ? `${first} may appear` : `${first} will not appear`}.`;
      setSaved(message);
      announce(message);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="consent-child" aria-labelledby={`${base}-name`}>
      <h2 id={`${base}-name`}>
        {student.name}
        {student.yearGroup !== null && <span className="consent-year">{yearName(student.yearGroup)}</span>}
      </h2>
      {withNote && (
        <div className="field">
          <label htmlFor={`${base}-note`}>Note for the record</label>
          <p className="hint" id={`${base}-note-hint`}>
            For example: paper form returned on 3 September. Saved with each change below.
          </p>
          <input
            id={`${base}-note`}
            aria-describedby={`${base}-note-hint`}
            value={note}
            maxLength={500}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
      )}
      <ErrorNotice error={error} action="change consent" />
      <ul className="consent-uses">
        {IMAGE_USES.map((u) => {
          const state = consent.uses.find((s) => s.use === u.id);
          const granted = state?.granted ?? false;
          const id = `${base}-${u.id}`;
          return (
            <li key={u.id} className="consent-use">
              <label className="consent-switch">
                <span className="consent-switch-text">
                  <span id={`${id}-label`} className="consent-switch-label">
                    {u.label}
                  </span>
                  <span id={`${id}-explanation`} className="hint">
                    {u.explanation}
                  </span>
                  <span id={`${id}-state`} className={granted ? 'consent-state yes' : 'consent-state no'}>
                    {granted ? 'Yes, allowed' : 'No, not allowed'}
                    {state?.changedAt && ` · ${formatDateTime(state.changedAt)} by ${state.changedByName}`}
                  </span>
                </span>
                <input
                  type="checkbox"
                  role="switch"
                  checked={granted}
                  aria-checked={granted}
                  disabled={busy !== null}
                  aria-labelledby={`${id}-label`}
                  aria-describedby={`${id}-explanation ${id}-state`}
                  onChange={(e) => void change(u.id, e.target.checked)}
                />
              </label>
            </li>
          );
        })}
      </ul>
      {saved && <p className="notice notice-good consent-saved">{saved}</p>}
      <details className="consent-history">
        <summary>History of changes ({consent.history.length})</summary>
        {consent.history.length === 0 ? (
          <p>No changes recorded yet.</p>
        ) : (
          <ol>
            {consent.history.map((h) => (
              <li key={h.id}>
                <strong>{h.granted ? 'Allowed' : 'Not allowed'}</strong>: {labelOf(h.use)}
                <br />
                <span className="hint">
                  {formatDateTime(h.changedAt)} by {h.changedByName}
                  {h.note && ` — ${h.note}`}
                </span>
              </li>
            ))}
          </ol>
        )}
      </details>
    </section>
  );
}

const SECTION_KINDS = ['tutor_group', 'class', 'year_group'] as const;

function groupSections(groups: GroupOption[]): { label: string; groups: GroupOption[] }[] {
  const sections = [{ label: 'Your classes', groups: groups.filter((g) => g.mine) }];
  for (const kind of SECTION_KINDS) {
    sections.push({ label: groupKindLabel(kind, true), groups: groups.filter((g) => !g.mine && g.kind === kind) });
  }
  return sections.filter((s) => s.groups.length > 0);
}

function ClassLookup({ canRecord }: { canRecord: boolean }) {
  const [params, setParams] = useSearchParams();
  const groups = useApi(() => consentApi.groups(), []);
  const asked = params.get('use');
  const use: ImageUse = IMAGE_USES.some((u) => u.id === asked) ? (asked as ImageUse) : 'website';
  // A teacher's own first class is shown at once: the usual question is about the class in front of them.
  const groupId = params.get('group') ?? groups.data?.groups.find((g) => g.mine)?.id ?? '';
  const result = useApi<GroupConsent | null>(() => (groupId ? consentApi.group(groupId, use) : Promise.resolve(null)), [groupId, use]);
  const pick = (key: 'group' | 'use', value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    if (key === 'use' && !next.get('group') && groupId) next.set('group', groupId);
    setParams(next, { replace: true });
  };

  return (
    <section aria-label="Check a class" className="consent-lookup">
      <ErrorNotice error={groups.error} action="look up consent" />
      <div className="consent-pickers">
        <div className="field">
          <label htmlFor="consent-group">Class or group</label>
          <select id="consent-group" value={groupId} onChange={(e) => pick('group', e.target.value)}>
            <option value="">Choose a class…</option>
            {groupSections(groups.data?.groups ?? []).map((s) => (
              <optgroup key={s.label} label={s.label}>
                {s.groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="consent-use">Where the photo will appear</label>
          <select id="consent-use" value={use} onChange={(e) => pick('use', e.target.value)}>
            {IMAGE_USES.map((u) => (
              <option key={u.id} value={u.id}>
                {u.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNotice error={result.error} action="see this class's consent" />
      {result.loading && groupId && <p role="status">Loading…</p>}
      {result.data && <ClassResult data={result.data} canRecord={canRecord} />}
    </section>
  );
}

function ClassResult({ data, canRecord }: { data: GroupConsent; canRecord: boolean }) {
  const notAllowed = data.pupils.filter((p) => !p.granted);
  const allowed = data.pupils.filter((p) => p.granted);
  const what = labelOf(data.use).toLowerCase();
  const name = (p: { id: string; name: string }) =>
    canRecord ? <Link to={`/agreements/consent/students/${encodeURIComponent(p.id)}`}>{p.name}</Link> : p.name;
  return (
    <>
      {notAllowed.length > 0 ? (
        <section className="consent-stop" aria-labelledby="consent-stop-heading">
          <h2 id="consent-stop-heading">
            Do not publish photos of: {notAllowed.length} {notAllowed.length === 1 ? 'pupil' : 'pupils'}
          </h2>
          <p>
            {data.group.name}: no consent for {what}.
          </p>
          <ul>
            {notAllowed.map((p) => (
              <li key={p.id}>{name(p)}</li>
            ))}
          </ul>
        </section>
      ) : (
        <p className="notice notice-good">
          Every pupil in {data.group.name} has a parent’s consent for {what}.
        </p>
      )}
      <section className="consent-allowed" aria-labelledby="consent-allowed-heading">
        <h2 id="consent-allowed-heading">
          Consent given: {allowed.length} {allowed.length === 1 ? 'pupil' : 'pupils'}
        </h2>
        {allowed.length === 0 ? (
          <p>
            No pupil in {data.group.name} has consent for {what} yet.
          </p>
        ) : (
          <ul>
            {allowed.map((p) => (
              <li key={p.id}>{name(p)}</li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** The head records a paper consent form for one pupil. */
function RecordForm() {
  const { id = '' } = useParams();
  const loaded = useApi(() => consentApi.student(id), [id]);
  const [consent, setConsent] = useState<StudentConsent | null>(null);
  useEffect(() => setConsent(loaded.data ?? null), [loaded.data]);
  return (
    <Page title="Record a consent form" lead="Record what a parent or carer said on a paper form. Every change is logged with your name.">
      <p>
        <Link to="/agreements/consent">Back to image consent</Link>
      </p>
      <ErrorNotice error={loaded.error} action="record consent for this pupil" />
      {consent && <ChildCard consent={consent} onSaved={setConsent} withNote />}
    </Page>
  );
}
