import { PHASES } from '../labels';
import type { SchoolPhase } from '../types';

export interface SchoolFieldValues {
  name: string;
  urn: string;
  phase: SchoolPhase | '';
}

/** Name, DfE URN and phase of a school: asked at first-run setup and when a trust adds a school. */
export function SchoolFields({
  idPrefix,
  value,
  onChange,
}: {
  idPrefix: string;
  value: SchoolFieldValues;
  onChange: (next: SchoolFieldValues) => void;
}) {
  const set = (patch: Partial<SchoolFieldValues>) => onChange({ ...value, ...patch });
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-name`}>School name</label>
        <input
          id={`${idPrefix}-name`}
          required
          maxLength={200}
          autoComplete="off"
          value={value.name}
          onChange={(e) => set({ name: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-urn`}>DfE URN (optional)</label>
        <span className="hint" id={`${idPrefix}-urn-hint`}>
          The school&rsquo;s unique reference number: 6 or 7 digits.
        </span>
        <input
          id={`${idPrefix}-urn`}
          inputMode="numeric"
          pattern="[0-9]{6,7}"
          maxLength={7}
          aria-describedby={`${idPrefix}-urn-hint`}
          value={value.urn}
          onChange={(e) => set({ urn: e.target.value.trim() })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-phase`}>Phase</label>
        <select id={`${idPrefix}-phase`} required value={value.phase} onChange={(e) => set({ phase: e.target.value as SchoolPhase | '' })}>
          <option value="">Choose the phase</option>
          {Object.entries(PHASES).map(([phase, label]) => (
            <option key={phase} value={phase}>
              {label}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
