import { useId, useState } from 'react';
import { TableWrap } from '../../../components/TableWrap';
import { USER_ACTION_COLUMNS, USER_ACTION_LEVELS, type PolicyTables } from './policyApi';

/** The User Actions table of one filter profile at a time, as the filter enforces it now. */
export function UserActions({ tables }: { tables: PolicyTables['userActions'] }) {
  const [profileId, setProfileId] = useState(tables[0]?.profileId ?? '');
  const id = useId();
  const table = tables.find((t) => t.profileId === profileId) ?? tables[0];
  return (
    <section aria-labelledby="user-actions-heading">
      <h2 id="user-actions-heading">User Actions</h2>
      <p className="hint">Generated from the filter's live configuration: change the filter and this table changes with it.</p>
      <div className="field">
        <label htmlFor={id}>Profile</label>
        <select id={id} value={table?.profileId ?? ''} onChange={(e) => setProfileId(e.target.value)}>
          {tables.map((t) => (
            <option key={t.profileId} value={t.profileId}>
              {t.profileName}
            </option>
          ))}
        </select>
      </div>
      {table && (
        <>
          <p className="hint">
            {table.groups.length > 0 ? `Assigned to ${table.groups.join(', ')}; ` : ''}
            applies to {table.people === 1 ? '1 person' : `${table.people} people`}.
          </p>
          <TableWrap label={`User Actions: ${table.profileName}`}>
            <table className="compact-table policy-marks">
              <caption className="visually-hidden">User Actions: {table.profileName}</caption>
              <thead>
                <tr>
                  <th scope="col">Category</th>
                  {USER_ACTION_LEVELS.map((l) => (
                    <th key={l} scope="col">
                      {USER_ACTION_COLUMNS[l]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((r) => (
                  <tr key={r.category}>
                    <th scope="row">{r.label}</th>
                    {USER_ACTION_LEVELS.map((l) => (
                      <td key={l}>{r.level === l && <>X{r.detail && <span className="policy-detail"> {r.detail}</span>}</>}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}
