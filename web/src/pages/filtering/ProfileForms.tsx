import { useId, useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { FilterProfile } from '../../types';
import { ReasonField, useChange, useFilterApi } from './parts';

type DefaultAction = FilterProfile['defaultAction'];

/** The default for sites in no category, as the policy's words for it. */
function DefaultActionField({ value, onChange }: { value: DefaultAction; onChange: (value: DefaultAction) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Sites in no category</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as DefaultAction)}>
        <option value="allow">Allowed</option>
        <option value="block">Blocked</option>
      </select>
    </div>
  );
}

/** A key from a name: "Sixth form" → "sixth_form", which the server's key pattern accepts. */
export const keyFromName = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 40);

/**
 * A new profile for an audience the seeded ones do not fit (a sixth form, a nurture group).
 * Copying an existing profile's matrix saves setting every category by hand.
 */
export function AddProfile({
  profiles,
  onAdded,
  onCancel,
}: {
  profiles: FilterProfile[];
  onAdded: (profile: FilterProfile) => void;
  onCancel: () => void;
}) {
  const filter = useFilterApi();
  const ids = { name: useId(), key: useId(), copy: useId() };
  const [name, setName] = useState('');
  // Until someone types their own key, it follows the name.
  const [key, setKey] = useState<string | null>(null);
  const [defaultAction, setDefaultAction] = useState<DefaultAction>('allow');
  const [copyFrom, setCopyFrom] = useState('');
  const [reason, setReason] = useState('');
  const { busy, error, run } = useChange();
  const shownKey = key ?? keyFromName(name);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const made: { profile?: FilterProfile } = {};
    const ok = await run(async () => {
      made.profile = await filter.createProfile({
        key: shownKey,
        name: name.trim(),
        defaultAction,
        copyFromProfileId: copyFrom || undefined,
        reason: reason.trim(),
      });
    }, `Profile added: ${name.trim()}.`);
    if (ok && made.profile) onAdded(made.profile);
  };

  return (
    <form className="stack panel" aria-label="Add a profile" onSubmit={submit}>
      <h3>Add a profile</h3>
      <div className="field">
        <label htmlFor={ids.name}>Profile name</label>
        <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={ids.key}>Key</label>
        <span className="hint" id={`${ids.key}-hint`}>
          A short fixed name for scripts and exports: lower-case letters, digits and underscores, starting with a letter.
        </span>
        <input
          id={ids.key}
          value={shownKey}
          onChange={(e) => setKey(e.target.value)}
          required
          pattern="[a-z][a-z0-9_]{1,39}"
          aria-describedby={`${ids.key}-hint`}
          autoComplete="off"
        />
      </div>
      <DefaultActionField value={defaultAction} onChange={setDefaultAction} />
      <div className="field">
        <label htmlFor={ids.copy}>Copy the matrix of</label>
        <select id={ids.copy} value={copyFrom} onChange={(e) => setCopyFrom(e.target.value)}>
          <option value="">No profile: start with an empty matrix</option>
          {profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <ReasonField value={reason} onChange={setReason} />
      <div className="button-row">
        <button type="submit" disabled={busy || !name.trim() || !reason.trim()}>
          {busy ? 'Adding…' : 'Add profile'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorNotice error={error} action="add a profile" />
    </form>
  );
}

/** Renames a profile or changes what happens to sites in no category. */
export function EditProfile({ profile, onSaved, onCancel }: { profile: FilterProfile; onSaved: () => void; onCancel: () => void }) {
  const filter = useFilterApi();
  const nameId = useId();
  const [name, setName] = useState(profile.name);
  const [defaultAction, setDefaultAction] = useState<DefaultAction>(profile.defaultAction);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useChange();
  const changed = name.trim() !== profile.name || defaultAction !== profile.defaultAction;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Only what changed is sent, so the log records exactly that.
    const ok = await run(
      () =>
        filter.updateProfile(profile.id, {
          name: name.trim() !== profile.name ? name.trim() : undefined,
          defaultAction: defaultAction !== profile.defaultAction ? defaultAction : undefined,
          reason: reason.trim(),
        }),
      `Profile saved: ${name.trim()}.`,
    );
    if (ok) onSaved();
  };

  return (
    <form className="stack panel" aria-label={`Change the profile ${profile.name}`} onSubmit={submit}>
      <h3>Change the profile {profile.name}</h3>
      <div className="field">
        <label htmlFor={nameId}>Profile name</label>
        <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoComplete="off" />
      </div>
      <DefaultActionField value={defaultAction} onChange={setDefaultAction} />
      <ReasonField value={reason} onChange={setReason} />
      <div className="button-row">
        <button type="submit" disabled={busy || !changed || !name.trim() || !reason.trim()}>
          {busy ? 'Saving…' : 'Save profile'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorNotice error={error} action="change the profile" />
    </form>
  );
}
