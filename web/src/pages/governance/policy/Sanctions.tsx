import { TableWrap } from '../../../components/TableWrap';
import type { PolicyTables } from './policyApi';

/** The actions-and-sanctions tables, from the school's incident response matrix. */
export function Sanctions({ tables }: { tables: PolicyTables['sanctions'] }) {
  return (
    <section aria-labelledby="sanctions-heading">
      <h2 id="sanctions-heading">Actions and sanctions</h2>
      <p className="hint">Generated from the incident response matrix the DSL and headteacher keep for safeguarding incidents.</p>
      {tables.map((t) => {
        const title = t.audience === 'student' ? 'Students' : 'Staff';
        return (
          <TableWrap key={t.audience} label={`Actions and sanctions: ${title}`}>
            <table className="compact-table policy-marks">
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">Incidents</th>
                  {t.columns.map((c) => (
                    <th key={c.id} scope="col">
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {t.rows.map((r) => (
                  <tr key={r.incidentType}>
                    <th scope="row">{r.label}</th>
                    {t.columns.map((c) => (
                      <td key={c.id}>{r.actions.includes(c.id) ? 'X' : ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        );
      })}
    </section>
  );
}
