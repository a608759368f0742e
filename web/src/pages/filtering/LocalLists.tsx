import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { Badge } from '../../components/Badge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { useApi } from '../../components/hooks';
import { formatDateTime } from '../../labels';
import { useSchool } from '../../school';
import { useMe } from '../../session';
import type { FilterScope, PersonSummary } from '../../types';
import { CATEGORIES, categoryLabel, mayDo } from './labels';
import { PersonSearch, ReasonField, RecordTable, useChange, useFilterApi, WhenLoaded } from './parts';

const SCOPES: Record<FilterScope, string> = {
  trust: 'The whole trust',
  school: 'This school',
  group: 'A group or class',
  person: 'One person',
};

/** Sites the school allows or blocks itself, for the trust, the school, a group or a person. */
export function LocalLists() {
  const me = useMe();
  const filter = useFilterApi();
  const { schoolId } = useSchool();
  const [scope, setScope] = useState<FilterScope>('school');
  const [groupId, setGroupId] = useState('');
  const [person, setPerson] = useState<PersonSummary | null>(null);
  const groups = useApi(() => (scope === 'group' ? api.groups({ schoolId }) : Promise.resolve([])), [scope, schoolId]);
  const scopeId = scope === 'group' ? groupId : scope === 'person' ? (person?.id ?? '') : undefined;
  const needsTarget = scope === 'group' || scope === 'person';
  const entries = useApi(
    () => (needsTarget && !scopeId ? Promise.resolve([]) : filter.listEntries(scope, scopeId)),
    [filter, scope, scopeId],
  );
  const canEdit = mayDo(me, 'filter.manage');

  return (
    <Page
      title="Local lists"
      lead="Sites to allow or block on top of the category lists. A person's list beats a group's, a group's beats the school's, and the school's beats the trust's. Nothing here can allow a site on a locked illegal list."
    >
      <form className="filters" aria-label="Which list" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="list-scope">List for</label>
          <select id="list-scope" value={scope} onChange={(e) => setScope(e.target.value as FilterScope)}>
            {Object.entries(SCOPES).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {scope === 'group' && (
          <div className="field">
            <label htmlFor="list-group">Group</label>
            <select id="list-group" value={groupId} onChange={(e) => setGroupId(e.target.value)}>
              <option value="">Choose a group…</option>
              {(groups.data ?? []).map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {scope === 'person' && <PersonSearch label="Person" chosen={person} onChoose={setPerson} />}
      </form>
      {needsTarget && !scopeId ? (
        <p>Choose {scope === 'group' ? 'a group' : 'a person'} to see their list.</p>
      ) : (
        <WhenLoaded state={entries} what="list entries">
          {(rows) => (
            <RecordTable
              rows={rows}
              empty={<p role="status">This list is empty.</p>}
              label="List entries"
              columns={[
                { header: 'Site', cell: (e) => e.pattern },
                {
                  header: 'Action',
                  cell: (e) => <Badge tone={e.action === 'block' ? 'bad' : 'good'}>{e.action === 'block' ? 'Block' : 'Allow'}</Badge>,
                },
                { header: 'Category', cell: (e) => (e.category ? categoryLabel(e.category) : '—') },
                { header: 'Note', cell: (e) => e.note ?? '—' },
                {
                  header: 'Added',
                  cell: (e) => (
                    <>
                      {formatDateTime(e.createdAt)}
                      {e.createdBy ? ` by ${e.createdBy}` : ''}
                    </>
                  ),
                },
              ]}
              remove={
                canEdit
                  ? {
                      what: (e) => e.pattern,
                      run: async (e, reason) => {
                        await filter.deleteListEntry(e.id, reason);
                        entries.reload();
                      },
                    }
                  : undefined
              }
            />
          )}
        </WhenLoaded>
      )}
      {canEdit && (!needsTarget || scopeId) && <AddEntry scope={scope} scopeId={scopeId} onAdded={entries.reload} />}
    </Page>
  );
}

function AddEntry({ scope, scopeId, onAdded }: { scope: FilterScope; scopeId: string | undefined; onAdded: () => void }) {
  const filter = useFilterApi();
  const blank = { pattern: '', action: 'block' as 'allow' | 'block', category: '', note: '', reason: '' };
  const [form, setForm] = useState(blank);
  const { busy, error, run } = useChange();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await run(
      () =>
        filter.addListEntry({
          scope,
          scopeId,
          pattern: form.pattern.trim(),
          action: form.action,
          category: form.action === 'block' && form.category ? form.category : undefined,
          note: form.note.trim() || undefined,
          reason: form.reason.trim(),
        }),
      `${form.action === 'block' ? 'Blocked' : 'Allowed'}: ${form.pattern.trim()}.`,
    );
    if (ok) {
      setForm(blank);
      onAdded();
    }
  };
  return (
    <form className="stack panel" aria-labelledby="add-entry-heading" onSubmit={submit}>
      <h2 id="add-entry-heading">Add to this list</h2>
      <div className="field">
        <label htmlFor="entry-pattern">Site</label>
        <span className="hint">
          example.com covers its sub-sites (a.example.com) but not notexample.com; example.com/path covers that part of a site.
        </span>
        <input
          id="entry-pattern"
          value={form.pattern}
          onChange={(e) => setForm({ ...form, pattern: e.target.value })}
          required
          autoComplete="off"
        />
      </div>
      <fieldset>
        <legend>Action</legend>
        <label className="checkbox">
          <input
            type="radio"
            name="entry-action"
            checked={form.action === 'block'}
            onChange={() => setForm({ ...form, action: 'block' })}
          />
          Block
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name="entry-action"
            checked={form.action === 'allow'}
            onChange={() => setForm({ ...form, action: 'allow' })}
          />
          Allow
        </label>
      </fieldset>
      {form.action === 'block' && (
        <div className="field">
          <label htmlFor="entry-category">Report it as</label>
          <select id="entry-category" value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value })}>
            <option value="">A local block (no category)</option>
            {CATEGORIES.filter((c) => c.group !== 'illegal').map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor="entry-note">Note (optional)</label>
        <input id="entry-note" value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} autoComplete="off" />
      </div>
      <ReasonField value={form.reason} onChange={(reason) => setForm({ ...form, reason })} />
      <button type="submit" disabled={busy}>
        Add to the list
      </button>
      <ErrorNotice error={error} action="change the local lists" />
    </form>
  );
}
