import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Page } from '../../components/Page';
import { useApi } from '../../components/hooks';
import { useMe } from '../../session';
import type { FilterProfile, PersonSummary } from '../../types';
import { mayDo } from './labels';
import { PersonName, PersonSearch, ReasonField, RecordTable, useChange, useFilterApi, WhenLoaded } from './parts';

/** How the filter tells clients apart when no one has signed in: known devices and network ranges. */
export function Devices() {
  const me = useMe();
  const filter = useFilterApi();
  const devices = useApi(() => filter.devices(), [filter]);
  const subnets = useApi(() => filter.subnets(), [filter]);
  const profiles = useApi(() => filter.profiles(), [filter]);
  const canEdit = mayDo(me, 'filter.manage');
  const profileName = (id: string | null | undefined) => (id ? (profiles.data?.find((p) => p.id === id)?.name ?? 'Unknown profile') : '—');

  return (
    <Page
      title="Devices and subnets"
      lead="A device is filtered as its person, or with its profile; a subnet (the guest Wi-Fi, say) gets a profile. Someone who signs in at the block page is filtered as themselves."
    >
      <section aria-labelledby="devices-heading">
        <h2 id="devices-heading">Devices</h2>
        <WhenLoaded state={devices} what="devices">
          {(rows) => (
            <RecordTable
              rows={rows}
              empty={<p>No devices.</p>}
              label="Devices known to the filter"
              columns={[
                { header: 'Name', cell: (d) => d.name },
                { header: 'Address', cell: (d) => d.address ?? '—' },
                { header: 'MAC', cell: (d) => d.mac ?? '—' },
                { header: 'Person', cell: (d) => (d.personId ? <PersonName id={d.personId} known={d.personName} /> : '—') },
                { header: 'Profile', cell: (d) => profileName(d.profileId) },
              ]}
              remove={
                canEdit
                  ? {
                      what: (d) => d.name,
                      run: async (d, reason) => {
                        await filter.deleteDevice(d.id, reason);
                        devices.reload();
                      },
                    }
                  : undefined
              }
            />
          )}
        </WhenLoaded>
        {canEdit && <AddDevice profiles={profiles.data ?? []} onAdded={devices.reload} />}
      </section>
      <section aria-labelledby="subnets-heading">
        <h2 id="subnets-heading">Subnets</h2>
        <WhenLoaded state={subnets} what="subnets">
          {(rows) => (
            <RecordTable
              rows={rows}
              empty={<p>No subnets.</p>}
              label="Subnets and their profiles"
              columns={[
                { header: 'Name', cell: (s) => s.name },
                { header: 'Range', cell: (s) => <code>{s.cidr}</code> },
                { header: 'Profile', cell: (s) => profileName(s.profileId) },
              ]}
              remove={
                canEdit
                  ? {
                      what: (s) => s.name,
                      run: async (s, reason) => {
                        await filter.deleteSubnet(s.id, reason);
                        subnets.reload();
                      },
                    }
                  : undefined
              }
            />
          )}
        </WhenLoaded>
        {canEdit && <AddSubnet profiles={profiles.data ?? []} onAdded={subnets.reload} />}
      </section>
    </Page>
  );
}

function ProfileSelect({
  id,
  value,
  onChange,
  profiles,
  optional,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  profiles: FilterProfile[];
  optional?: boolean;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} required={!optional}>
      <option value="">{optional ? 'None' : 'Choose a profile…'}</option>
      {profiles.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
  );
}

function AddDevice({ profiles, onAdded }: { profiles: FilterProfile[]; onAdded: () => void }) {
  const filter = useFilterApi();
  const blank = { name: '', address: '', mac: '', profileId: '', reason: '' };
  const [form, setForm] = useState(blank);
  const [person, setPerson] = useState<PersonSummary | null>(null);
  const { busy, error, run } = useChange();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await run(
      () =>
        filter.addDevice({
          name: form.name.trim(),
          address: form.address.trim(),
          mac: form.mac.trim() || undefined,
          personId: person?.id,
          profileId: form.profileId || undefined,
          reason: form.reason.trim(),
        }),
      `Device added: ${form.name.trim()}.`,
    );
    if (ok) {
      setForm(blank);
      setPerson(null);
      onAdded();
    }
  };
  return (
    <form className="stack panel" aria-label="Add a device" onSubmit={submit}>
      <h3>Add a device</h3>
      <div className="field">
        <label htmlFor="device-name">Device name</label>
        <input id="device-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
      </div>
      <div className="field">
        <label htmlFor="device-address">IP address</label>
        <input id="device-address" value={form.address} onChange={(e) => setForm({ ...form, address: e.target.value })} required />
      </div>
      <div className="field">
        <label htmlFor="device-mac">MAC address (optional)</label>
        <input id="device-mac" value={form.mac} onChange={(e) => setForm({ ...form, mac: e.target.value })} />
      </div>
      <PersonSearch label="Person using it (optional)" chosen={person} onChoose={setPerson} />
      <div className="field">
        <label htmlFor="device-profile">Profile (when no person)</label>
        <ProfileSelect
          id="device-profile"
          value={form.profileId}
          onChange={(profileId) => setForm({ ...form, profileId })}
          profiles={profiles}
          optional
        />
      </div>
      <ReasonField value={form.reason} onChange={(reason) => setForm({ ...form, reason })} />
      <button type="submit" disabled={busy}>
        Add device
      </button>
      <ErrorNotice error={error} action="add a device" />
    </form>
  );
}

function AddSubnet({ profiles, onAdded }: { profiles: FilterProfile[]; onAdded: () => void }) {
  const filter = useFilterApi();
  const blank = { name: '', cidr: '', profileId: '', reason: '' };
  const [form, setForm] = useState(blank);
  const { busy, error, run } = useChange();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await run(
      () => filter.addSubnet({ name: form.name.trim(), cidr: form.cidr.trim(), profileId: form.profileId, reason: form.reason.trim() }),
      `Subnet added: ${form.name.trim()}.`,
    );
    if (ok) {
      setForm(blank);
      onAdded();
    }
  };
  return (
    <form className="stack panel" aria-label="Add a subnet" onSubmit={submit}>
      <h3>Add a subnet</h3>
      <div className="field">
        <label htmlFor="subnet-name">Subnet name</label>
        <input id="subnet-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
      </div>
      <div className="field">
        <label htmlFor="subnet-cidr">Range</label>
        <span className="hint">For example 10.20.0.0/16 or fd00:20::/64.</span>
        <input id="subnet-cidr" value={form.cidr} onChange={(e) => setForm({ ...form, cidr: e.target.value })} required />
      </div>
      <div className="field">
        <label htmlFor="subnet-profile">Profile</label>
        <ProfileSelect
          id="subnet-profile"
          value={form.profileId}
          onChange={(profileId) => setForm({ ...form, profileId })}
          profiles={profiles}
        />
      </div>
      <ReasonField value={form.reason} onChange={(reason) => setForm({ ...form, reason })} />
      <button type="submit" disabled={busy}>
        Add subnet
      </button>
      <ErrorNotice error={error} action="add a subnet" />
    </form>
  );
}
