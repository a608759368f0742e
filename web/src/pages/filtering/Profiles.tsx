import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { useApi } from '../../components/hooks';
import { useMe } from '../../session';
import { mayDo } from './labels';
import { Assignments } from './Assignments';
import { MatrixEditor } from './MatrixEditor';
import { AddProfile, EditProfile } from './ProfileForms';
import { WhenLoaded, useFilterApi } from './parts';

/** The profiles (one per audience) and, for the chosen one, its User Actions matrix. */
export function Profiles() {
  const filter = useFilterApi();
  const me = useMe();
  const canEdit = mayDo(me, 'filter.manage');
  const profiles = useApi(() => filter.profiles(), [filter]);
  const categories = useApi(() => filter.categories(), [filter]);
  const [params, setParams] = useSearchParams();
  const chosenId = params.get('profile');

  // The first profile opens by default, so the matrix is one click away.
  useEffect(() => {
    const first = profiles.data?.[0];
    if (!chosenId && first) setParams({ profile: first.id }, { replace: true });
  }, [chosenId, profiles.data, setParams]);

  const chosen = profiles.data?.find((p) => p.id === chosenId) ?? null;
  // One form open at a time: the new-profile form, or the change form of one profile.
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const editingProfile = profiles.data?.find((p) => p.id === editing) ?? null;

  return (
    <Page
      title="Filtering profiles"
      lead="Each audience has a profile. Its matrix says, for every category, what the school's User Actions table says: acceptable, at certain times, for nominated users, unacceptable, or illegal."
    >
      <WhenLoaded state={profiles} what="profiles">
        {(list) => (
          <TableWrap label="Profiles">
            <table>
              <thead>
                <tr>
                  <th scope="col">Profile</th>
                  <th scope="col">Sites in no category</th>
                  <th scope="col" className="num">
                    Version
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Open</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <tr key={p.id} aria-current={p.id === chosenId ? 'true' : undefined}>
                    <th scope="row">{p.name}</th>
                    <td>{p.defaultAction === 'allow' ? 'Allowed' : 'Blocked'}</td>
                    <td className="num">{p.version}</td>
                    <td>
                      <div className="button-row compact">
                        {canEdit && (
                          <button
                            type="button"
                            className="secondary small"
                            aria-label={`Rename or change the default of ${p.name}`}
                            aria-expanded={editing === p.id}
                            onClick={() => setEditing(editing === p.id ? null : p.id)}
                          >
                            Change
                          </button>
                        )}
                        <button
                          type="button"
                          className="secondary small"
                          aria-label={`${canEdit ? 'Edit' : 'View'} the matrix of ${p.name}`}
                          aria-pressed={p.id === chosenId}
                          onClick={() => setParams({ profile: p.id })}
                        >
                          {canEdit ? 'Edit matrix' : 'View matrix'}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </WhenLoaded>
      {editingProfile && (
        <EditProfile
          key={`${editingProfile.id}:${editingProfile.version}`}
          profile={editingProfile}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            profiles.reload();
          }}
        />
      )}
      {canEdit && profiles.data && editing !== 'new' && (
        <p className="button-row">
          <button type="button" className="secondary" onClick={() => setEditing('new')}>
            Add a profile
          </button>
        </p>
      )}
      {editing === 'new' && profiles.data && (
        <AddProfile
          profiles={profiles.data}
          onCancel={() => setEditing(null)}
          onAdded={(p) => {
            setEditing(null);
            profiles.reload();
            setParams({ profile: p.id });
          }}
        />
      )}
      <p>
        <Link to="/filtering/settings">Filtering settings</Link>: which blocks alert the DSL, the fallback profile and the time zone.
      </p>
      {profiles.data && <Assignments profiles={profiles.data} canEdit={canEdit} />}
      {chosen && (
        <WhenLoaded state={categories} what="categories">
          {(cats) => (
            <MatrixEditor
              // A new version starts a fresh draft, so saved cells no longer count as changes.
              key={`${chosen.id}:${chosen.version}`}
              profile={chosen}
              categories={cats}
              readOnly={!canEdit}
              onSaved={profiles.reload}
            />
          )}
        </WhenLoaded>
      )}
    </Page>
  );
}
