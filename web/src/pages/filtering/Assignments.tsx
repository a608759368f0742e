import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi } from '../../components/hooks';
import { useSchool } from '../../school';
import type { FilterAssignment, FilterProfile, PersonSummary } from '../../types';
import { PersonSearch, ReasonField, RecordTable, useChange, useFilterApi, WhenLoaded } from './parts';

/**
 * Groups and people with an explicit profile, over the one their kind and year would give
 * them: a nurture group on a stricter profile, a technician on the staff one.
 */
export function Assignments({ profiles, canEdit }: { profiles: FilterProfile[]; canEdit: boolean }) {
  const filter = useFilterApi();
  const assignments = useApi(() => filter.assignments(), [filter]);
  const profileName = (id: string) => profiles.find((p) => p.id === id)?.name ?? 'Unknown profile';
  const kindLabel = (a: FilterAssignment) => (a.subjectKind === 'group' ? 'Group' : 'Person');

  return (
    <section aria-labelledby="assignments-heading">
      <h2 id="assignments-heading">Assignments</h2>
      <p className="hint">
        Everyone else gets a profile from who they are: pupils by year, staff as staff. An assignment here comes first; a person's own beats
        their group's.
      </p>
      <WhenLoaded state={assignments} what="assignments">
        {(rows) => (
          <RecordTable
            rows={rows}
            empty={<p>No groups or people have their own profile.</p>}
            label="Profile assignments"
            columns={[
              { header: 'Group or person', cell: (a) => a.subjectName },
              { header: 'Kind', cell: kindLabel },
              { header: 'Profile', cell: (a) => profileName(a.profileId) },
            ]}
            remove={
              canEdit
                ? {
                    verb: 'Clear',
                    what: (a) => `the profile of ${a.subjectName}`,
                    run: async (a, reason) => {
                      await filter.setAssignment({ subjectKind: a.subjectKind, subjectId: a.subjectId, profileId: null, reason });
                      assignments.reload();
                    },
                  }
                : undefined
            }
          />
        )}
      </WhenLoaded>
      {canEdit && <AssignProfile profiles={profiles} onAssigned={assignments.reload} />}
    </section>
  );
}

/** Chooses a group from a list or a person by search, the same pickers as the matrix's nominated users. */
function AssignProfile({ profiles, onAssigned }: { profiles: FilterProfile[]; onAssigned: () => void }) {
  const filter = useFilterApi();
  const { schoolId } = useSchool();
  const groups = useApi(() => api.groups({ schoolId }), [schoolId]);
  const ids = { kind: useId(), group: useId(), profile: useId() };
  const [kind, setKind] = useState<'group' | 'person'>('group');
  const [groupId, setGroupId] = useState('');
  const [person, setPerson] = useState<PersonSummary | null>(null);
  const [profileId, setProfileId] = useState('');
  const [reason, setReason] = useState('');
  const { busy, error, run } = useChange();
  const subjectId = kind === 'group' ? groupId : (person?.id ?? '');
  const subjectName = kind === 'group' ? (groups.data?.find((g) => g.id === groupId)?.name ?? '') : (person?.name ?? '');
  const profileName = profiles.find((p) => p.id === profileId)?.name ?? '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await run(
      () => filter.setAssignment({ subjectKind: kind, subjectId, profileId, reason: reason.trim() }),
      `${subjectName} now uses the profile ${profileName}.`,
    );
    if (ok) {
      setGroupId('');
      setPerson(null);
      setReason('');
      onAssigned();
    }
  };

  return (
    <form className="stack panel" aria-label="Assign a profile" onSubmit={submit}>
      <h3>Assign a profile</h3>
      <div className="field">
        <label htmlFor={ids.kind}>Assign to</label>
        <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as 'group' | 'person')}>
          <option value="group">A group</option>
          <option value="person">A person</option>
        </select>
      </div>
      {kind === 'group' ? (
        <div className="field">
          <label htmlFor={ids.group}>Group</label>
          <ErrorNotice error={groups.error} />
          <select id={ids.group} value={groupId} onChange={(e) => setGroupId(e.target.value)} required>
            <option value="">Choose a group…</option>
            {(groups.data ?? []).map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <PersonSearch label="Person" chosen={person} onChoose={setPerson} />
      )}
      <div className="field">
        <label htmlFor={ids.profile}>Profile to use</label>
        <select id={ids.profile} value={profileId} onChange={(e) => setProfileId(e.target.value)} required>
          <option value="">Choose a profile…</option>
          {profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <p className="hint">A group or person that already has a profile moves to this one.</p>
      {/* Its own label: the matrix's reason field shares this screen. */}
      <ReasonField value={reason} onChange={setReason} label="Reason for the assignment" />
      <button type="submit" disabled={busy || !subjectId || !profileId || !reason.trim()}>
        {busy ? 'Assigning…' : 'Assign profile'}
      </button>
      <ErrorNotice error={error} action="assign a profile" />
    </form>
  );
}
